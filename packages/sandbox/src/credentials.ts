import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { issueCertificates, type SandboxCertificates } from './certificates.js'

/** What a merchant needs to talk to the simulator, and the simulator's own Alipay key. */
export interface SandboxCredentials {
  /** Legacy gateway: the 2088 partner id and 32-character MD5 key. */
  readonly partner: string
  readonly key: string
  readonly sellerEmail: string
  /** Open Platform: the app id, the app's private key (PKCS#8 PEM) and its public key. */
  readonly appId: string
  readonly appPrivateKey: string
  readonly appPublicKey: string
  /** The simulator's "Alipay" key pair: it signs answers and notifications with the private key. */
  readonly alipayPrivateKey: string
  readonly alipayPublicKey: string
  /** Certificate mode (公钥证书): the three files, issued by the simulator's own root. */
  readonly certificates?: SandboxCertificates
}

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789'

function randomDigits(count: number): string {
  return [...randomBytes(count)].map((b) => String(b % 10)).join('')
}

/** Fresh credentials: keys are generated at run time, never committed. */
export function generateCredentials(): SandboxCredentials {
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pem = (key: { export(o: object): string | Buffer }, type: string) =>
    String(key.export({ format: 'pem', type }))
  return {
    partner: `2088${randomDigits(12)}`,
    key: [...randomBytes(32)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join(''),
    sellerEmail: 'seller@sandbox.alipay-kit.test',
    appId: `2021${randomDigits(12)}`,
    appPrivateKey: pem(app.privateKey, 'pkcs8'),
    appPublicKey: pem(app.publicKey, 'spki'),
    alipayPrivateKey: pem(alipay.privateKey, 'pkcs8'),
    alipayPublicKey: pem(alipay.publicKey, 'spki'),
  }
}

/** The credentials with certificates, issued now if they have none. */
export function withCertificates(credentials: SandboxCredentials): SandboxCredentials {
  if (credentials.certificates) return credentials
  return {
    ...credentials,
    certificates: issueCertificates(
      createPrivateKey(credentials.alipayPrivateKey),
      createPublicKey(credentials.appPublicKey),
      credentials.appId,
    ),
  }
}

/**
 * Loads credentials from `file`, generating and saving them at first start so restarts keep them;
 * with `certificates`, issues them once too (they keep their serial numbers across restarts).
 */
export function loadOrCreateCredentials(file: string, certificates = false): SandboxCredentials {
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxCredentials)
    : undefined
  const base = stored ?? generateCredentials()
  const credentials = certificates ? withCertificates(base) : base
  if (credentials !== stored) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  }
  return credentials
}
