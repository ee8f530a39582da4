import type { AlipayKitOptions } from '@alipay-kit/koa'
import { type Env, EnvError, gatewayMode, secretOf } from './env.js'
import { assertReadyToGoLive } from './production.js'

/** What the local simulator hands out at /__admin/credentials. */
interface SandboxCredentials {
  partner: string
  key: string
  sellerEmail: string
  appId: string
  appPrivateKey: string
  alipayPublicKey: string
  /** In the simulator's certificate mode (`--certificates`). */
  certificates?: { appCert: string; alipayPublicCert: string; alipayRootCert: string }
}

/** A merchant API secret for the simulator only; printed at start, never used against Alipay. */
export const SANDBOX_MERCHANT_SECRET = 'sandbox-merchant-secret-not-for-production'

/** One GET; a connection the simulator closed as it was reused (keep-alive) is tried once more. */
async function fetchOnceMore(url: string): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(5_000) })
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw error
    return fetch(url, { signal: AbortSignal.timeout(5_000) })
  }
}

async function sandboxCredentials(base: string): Promise<SandboxCredentials> {
  try {
    const response = await fetchOnceMore(`${base}/__admin/credentials`)
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    return (await response.json()) as SandboxCredentials
  } catch (error) {
    throw new EnvError(
      `No Alipay credentials are set, so the BFF uses the local simulator at ${base}, which did not answer (${(error as Error).message}). Start it with \`npx -y pnpm@12.21.0 sandbox\`, set ALIPAY_SANDBOX_URL, or set real credentials (ALIPAY_PARTNER/ALIPAY_KEY, ALIPAY_APP_ID/…).`,
    )
  }
}

export type GatewayOptions = Pick<AlipayKitOptions, 'legacy' | 'open' | 'merchantApiSecret'> & {
  readonly mode: 'alipay' | 'sandbox'
  readonly sandboxUrl: string | undefined
}

/** The gateways' settings: from the environment, or fetched from the simulator in sandbox mode. */
export async function gatewayOptions(env: Env): Promise<GatewayOptions> {
  const mode = gatewayMode(env)
  if (mode === 'sandbox') {
    const base = env.ALIPAY_SANDBOX_URL ?? 'http://127.0.0.1:4010'
    const c = await sandboxCredentials(base)
    return {
      mode,
      sandboxUrl: base,
      legacy: {
        partner: c.partner,
        key: c.key,
        sellerEmail: c.sellerEmail,
        gateway: `${base}/gateway.do`,
      },
      open: {
        appId: c.appId,
        privateKey: c.appPrivateKey,
        ...(c.certificates ? c.certificates : { alipayPublicKey: c.alipayPublicKey }),
        gateway: `${base}/gateway.do`,
        authorizeUrl: `${base}/oauth2/publicAppAuthorize.htm`,
        sellerId: c.partner,
      },
      merchantApiSecret: merchantSecret(env) ?? SANDBOX_MERCHANT_SECRET,
    }
  }
  const merchantApiSecret = merchantSecret(env)
  if (!merchantApiSecret)
    throw new EnvError(
      'Missing MERCHANT_API_SECRET: set it (or MERCHANT_API_SECRET_FILE) to a secret of at least 16 characters (e.g. `openssl rand -hex 24`) for the merchant API',
    )
  assertReadyToGoLive(env)
  let legacy: AlipayKitOptions['legacy']
  if (env.ALIPAY_PARTNER) {
    const key = secretOf(env, 'ALIPAY_KEY')?.trim()
    if (!key)
      throw new EnvError(
        'Missing ALIPAY_KEY: set it (or ALIPAY_KEY_FILE) to the 32-character MD5 key from 商家服务 → 查询PID/Key',
      )
    legacy = {
      partner: env.ALIPAY_PARTNER,
      key,
      ...(env.ALIPAY_SELLER_EMAIL ? { sellerEmail: env.ALIPAY_SELLER_EMAIL } : {}),
      ...(env.ALIPAY_CHARSET ? { charset: env.ALIPAY_CHARSET } : {}),
      ...(env.ALIPAY_LEGACY_GATEWAY ? { gateway: env.ALIPAY_LEGACY_GATEWAY } : {}),
    }
  }
  let open: AlipayKitOptions['open']
  if (env.ALIPAY_APP_ID) {
    const privateKey = secretOf(env, 'ALIPAY_APP_PRIVATE_KEY')
    if (!privateKey)
      throw new EnvError(
        'Missing ALIPAY_APP_PRIVATE_KEY: set it (or ALIPAY_APP_PRIVATE_KEY_FILE) to the app private key (PKCS#1, PKCS#8 or bare base64)',
      )
    open = {
      appId: env.ALIPAY_APP_ID,
      privateKey,
      ...alipayKeyOrCertificates(env),
      ...(env.ALIPAY_SELLER_ID ? { sellerId: env.ALIPAY_SELLER_ID } : {}),
      ...(env.ALIPAY_OPEN_GATEWAY ? { gateway: env.ALIPAY_OPEN_GATEWAY } : {}),
      ...(env.ALIPAY_AUTHORIZE_URL ? { authorizeUrl: env.ALIPAY_AUTHORIZE_URL } : {}),
    }
  }
  return {
    mode,
    sandboxUrl: undefined,
    ...(legacy ? { legacy } : {}),
    ...(open ? { open } : {}),
    merchantApiSecret,
  }
}

/** The merchant API's secret, from MERCHANT_API_SECRET or its _FILE, checked like the variable. */
function merchantSecret(env: Env): string | undefined {
  const secret = secretOf(env, 'MERCHANT_API_SECRET')?.trim()
  if (secret !== undefined && secret.length < 16)
    throw new EnvError(
      'MERCHANT_API_SECRET_FILE: the secret must be at least 16 characters (e.g. `openssl rand -hex 24`)',
    )
  return secret
}

/**
 * Alipay's public key (public-key mode), or the three certificate files (certificate mode, 公钥证书):
 * the app's, Alipay's and Alipay's root bundle, all three or none.
 */
function alipayKeyOrCertificates(
  env: Env,
):
  | { alipayPublicKey: string }
  | { appCert: string; alipayPublicCert: string; alipayRootCert: string } {
  const appCert = secretOf(env, 'ALIPAY_APP_CERT')
  const alipayPublicCert = secretOf(env, 'ALIPAY_PUBLIC_CERT')
  const alipayRootCert = secretOf(env, 'ALIPAY_ROOT_CERT')
  const given = [appCert, alipayPublicCert, alipayRootCert].filter((v) => v !== undefined)
  if (given.length > 0) {
    if (given.length < 3)
      throw new EnvError(
        'Certificate mode needs all three files: ALIPAY_APP_CERT_FILE (appCertPublicKey_<APPID>.crt), ALIPAY_PUBLIC_CERT_FILE (alipayCertPublicKey_RSA2.crt) and ALIPAY_ROOT_CERT_FILE (alipayRootCert.crt)',
      )
    if (env.ALIPAY_PUBLIC_KEY !== undefined || env.ALIPAY_PUBLIC_KEY_FILE !== undefined)
      throw new EnvError(
        'Set ALIPAY_PUBLIC_KEY (public-key mode) or the certificate files (certificate mode), not both: the app is set up one way in the Open Platform console',
      )
    return {
      appCert: appCert as string,
      alipayPublicCert: alipayPublicCert as string,
      alipayRootCert: alipayRootCert as string,
    }
  }
  const alipayPublicKey = secretOf(env, 'ALIPAY_PUBLIC_KEY')
  if (!alipayPublicKey)
    throw new EnvError(
      "Missing ALIPAY_PUBLIC_KEY: set it (or ALIPAY_PUBLIC_KEY_FILE) to Alipay's public key from the Open Platform console (not the app's own public key), or, for an app set up with certificates, ALIPAY_APP_CERT_FILE, ALIPAY_PUBLIC_CERT_FILE and ALIPAY_ROOT_CERT_FILE",
    )
  return { alipayPublicKey }
}
