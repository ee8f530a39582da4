import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { AlipayInputError } from '../shared/errors.js'
import { certificateSn, rootCertificateSn } from './cert.js'
import { type KeyInput, parsePrivateKey, parsePublicKey } from './keys.js'
import type { RsaSignType } from './rsa.js'

/** Alipay's production Open Platform gateway. The local simulator stands in for it in development. */
export const OPEN_PRODUCTION_GATEWAY = 'https://openapi.alipay.com/gateway.do'

/** Where the buyer authorises an app to know who they are (OAuth login). */
export const OPEN_PRODUCTION_AUTHORIZE_URL =
  'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm'

export interface OpenConfigInput {
  /** The app id (APPID) from the Open Platform console. */
  readonly appId: string
  /** The app's RSA private key: PKCS#1/PKCS#8 PEM, bare base64, or a KeyObject. */
  readonly privateKey: KeyInput
  /**
   * Alipay's public key (支付宝公钥) — not the app's own public key, a classic mix-up.
   * In certificate mode pass `alipayPublicCert` instead.
   */
  readonly alipayPublicKey?: KeyInput
  /** Certificate mode: Alipay's public key certificate (alipayCertPublicKey_RSA2.crt). */
  readonly alipayPublicCert?: string
  /** Certificate mode: the app's public key certificate (appCertPublicKey_*.crt). */
  readonly appCert?: string
  /** Certificate mode: Alipay's root certificate bundle (alipayRootCert.crt). */
  readonly alipayRootCert?: string
  readonly signType?: RsaSignType
  readonly gateway?: string
  /** The OAuth authorisation page (login). Default: Alipay production; the simulator serves its own. */
  readonly authorizeUrl?: string
  /**
   * The merchant's 2088 seller id (开放平台 → 账户中心); notifications for another seller are
   * rejected. Without it seller_id is not checked, so @alipay-kit/koa requires it against Alipay's
   * own gateways (`isAlipayHost`), where an app_id shared by several sellers makes that real.
   */
  readonly sellerId?: string
}

export interface OpenConfig {
  readonly appId: string
  readonly privateKey: KeyObject
  readonly alipayPublicKey: KeyObject
  readonly signType: RsaSignType
  readonly gateway: string
  readonly authorizeUrl: string
  readonly sellerId: string | undefined
  /** Certificate mode serial numbers, present together or not at all. */
  readonly appCertSn: string | undefined
  readonly alipayRootCertSn: string | undefined
  /** The SN of Alipay's public-key certificate: an answer naming another is refused. */
  readonly alipayCertSn: string | undefined
}

/** Parses keys and certificates once, at start-up. */
export function createOpenConfig(input: OpenConfigInput): OpenConfig {
  if (!/^\d{10,32}$/.test(input.appId ?? '')) {
    throw new AlipayInputError(
      'appId',
      `must be the numeric APPID from the Open Platform console; got ${JSON.stringify(input.appId)}`,
    )
  }
  const signType = input.signType ?? 'RSA2'
  if (signType !== 'RSA2' && signType !== 'RSA')
    throw new AlipayInputError('signType', 'must be "RSA2" (recommended) or "RSA"')
  const privateKey = parsePrivateKey(input.privateKey)
  const certMode =
    input.appCert !== undefined ||
    input.alipayRootCert !== undefined ||
    input.alipayPublicCert !== undefined
  if (
    certMode &&
    (input.appCert === undefined ||
      input.alipayRootCert === undefined ||
      input.alipayPublicCert === undefined)
  ) {
    throw new AlipayInputError(
      'appCert',
      'certificate mode needs all three: appCert, alipayPublicCert and alipayRootCert',
    )
  }
  const publicSource = input.alipayPublicCert ?? input.alipayPublicKey
  if (publicSource === undefined) {
    throw new AlipayInputError(
      'alipayPublicKey',
      "is required: Alipay's public key (支付宝公钥) from the console, or alipayPublicCert in certificate mode",
    )
  }
  const alipayPublicKey = parsePublicKey(publicSource)
  if (input.appCert !== undefined) assertCertificateHoldsKey(input.appCert, privateKey)
  const gateway = input.gateway ?? OPEN_PRODUCTION_GATEWAY
  if (!/^https?:\/\/[^?#]+$/.test(gateway)) {
    throw new AlipayInputError(
      'gateway',
      `must be an absolute http(s) URL without a query string; got ${JSON.stringify(gateway)}`,
    )
  }
  const authorizeUrl = input.authorizeUrl ?? OPEN_PRODUCTION_AUTHORIZE_URL
  if (!/^https?:\/\/[^?#]+$/.test(authorizeUrl)) {
    throw new AlipayInputError(
      'authorizeUrl',
      `must be an absolute http(s) URL without a query string; got ${JSON.stringify(authorizeUrl)}`,
    )
  }
  return {
    appId: input.appId,
    privateKey,
    alipayPublicKey,
    signType,
    gateway,
    authorizeUrl,
    sellerId: input.sellerId,
    appCertSn: input.appCert === undefined ? undefined : certificateSn(input.appCert),
    alipayRootCertSn:
      input.alipayRootCert === undefined ? undefined : rootCertificateSn(input.alipayRootCert),
    alipayCertSn:
      input.alipayPublicCert === undefined ? undefined : certificateSn(input.alipayPublicCert),
  }
}

/**
 * The app certificate must hold the public key of the app's private key: with another one, every
 * request would be refused as isv.invalid-signature and no payment would start.
 */
function assertCertificateHoldsKey(appCert: string, privateKey: KeyObject): void {
  let certKey: Buffer
  try {
    certKey = new X509Certificate(appCert).publicKey.export({ type: 'spki', format: 'der' })
  } catch {
    throw new AlipayInputError(
      'appCert',
      'could not read the app certificate: expected the PEM file appCertPublicKey_<APPID>.crt',
    )
  }
  const ownKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  if (!certKey.equals(ownKey))
    throw new AlipayInputError(
      'appCert',
      "does not hold the public key of privateKey: use the appCertPublicKey_<APPID>.crt Alipay issued for this app's key pair (or the private key it was issued for)",
    )
}
