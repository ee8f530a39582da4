import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto'

/*
 * The simulator's certificate mode (公钥证书): at start it issues a root of its own and, under it,
 * Alipay's public-key certificate (holding the simulator's Alipay key) and the app's certificate
 * (holding the app's public key), as Alipay's console hands them out: PEM files whose serial
 * numbers (SNs) requests and answers name (docs/protocol.md, "Certificate mode"). Node can read
 * certificates but not write them, so the few DER structures of an X.509 v3 certificate are
 * written here; the core's reader and the official Node SDK's read them back in the tests.
 */

/** The three files a merchant in certificate mode configures, PEM. */
export interface SandboxCertificates {
  /** appCertPublicKey_<APPID>.crt */
  readonly appCert: string
  /** alipayCertPublicKey_RSA2.crt */
  readonly alipayPublicCert: string
  /** alipayRootCert.crt */
  readonly alipayRootCert: string
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}
const seq = (...items: Buffer[]) => tlv(0x30, ...items)
const set = (...items: Buffer[]) => tlv(0x31, ...items)

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [a * 40 + b]
  for (const arc of rest) {
    const chunk = [arc & 0x7f]
    for (let value = arc >> 7; value > 0; value >>= 7) chunk.unshift(0x80 | (value & 0x7f))
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

function integer(bytes: Buffer): Buffer {
  // A positive INTEGER: no leading zeros, a 0x00 before a high bit.
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const trimmed = bytes.subarray(start)
  return tlv(
    0x02,
    (trimmed[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed,
  )
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString() // YYYY-MM-DDTHH:mm:ss.sssZ
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`
  return tlv(0x17, Buffer.from(text, 'ascii'))
}

/** A Name, its attributes most general first (C, O, OU, CN), as Alipay's certificates have them. */
function name(attributes: ReadonlyArray<readonly [string, string]>): Buffer {
  const OIDS: Record<string, string> = {
    C: '2.5.4.6',
    O: '2.5.4.10',
    OU: '2.5.4.11',
    CN: '2.5.4.3',
  }
  return seq(
    ...attributes.map(([key, value]) =>
      set(
        seq(oid(OIDS[key] as string), tlv(key === 'C' ? 0x13 : 0x0c, Buffer.from(value, 'utf8'))),
      ),
    ),
  )
}

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))
const ECDSA_WITH_SHA256 = seq(oid('1.2.840.10045.4.3.2'))

/** An X.509 v3 certificate for `subjectKey`, signed with `issuerKey`, PEM. */
function certificate(input: {
  readonly subject: ReadonlyArray<readonly [string, string]>
  readonly issuer: ReadonlyArray<readonly [string, string]>
  readonly subjectKey: KeyObject
  readonly issuerKey: KeyObject
  readonly ca: boolean
}): string {
  const algorithm = input.issuerKey.asymmetricKeyType === 'ec' ? ECDSA_WITH_SHA256 : SHA256_WITH_RSA
  const now = Date.now()
  const extensions = tlv(
    0xa3,
    seq(
      // basicConstraints, critical: a CA or not.
      seq(
        oid('2.5.29.19'),
        Buffer.from([0x01, 0x01, 0xff]),
        tlv(0x04, seq(...(input.ca ? [Buffer.from([0x01, 0x01, 0xff])] : []))),
      ),
    ),
  )
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(8)),
    algorithm,
    name(input.issuer),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 5 * 365 * 86_400_000))),
    name(input.subject),
    input.subjectKey.export({ type: 'spki', format: 'der' }),
    extensions,
  )
  const signature = sign('sha256', tbs, input.issuerKey)
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.from([0]), signature))
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`
}

const ROOT = [
  ['C', 'CN'],
  ['O', 'alipay-kit sandbox'],
  ['OU', 'Certification Authority'],
  ['CN', 'alipay-kit Sandbox Root CA R1'],
] as const

/**
 * Issues a root and, under it, Alipay's and the app's public-key certificates. `alipayPrivateKey`
 * is the simulator's Alipay key (answers and notifications are signed with it), `appPublicKey`
 * the app's.
 */
export function issueCertificates(
  alipayPrivateKey: KeyObject,
  appPublicKey: KeyObject,
  appId: string,
): SandboxCertificates {
  const { privateKey: rootKey, publicKey: rootPublic } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  })
  const root = certificate({
    subject: ROOT,
    issuer: ROOT,
    subjectKey: rootPublic,
    issuerKey: rootKey,
    ca: true,
  })
  const issued = (subject: ReadonlyArray<readonly [string, string]>, key: KeyObject) =>
    certificate({ subject, issuer: ROOT, subjectKey: key, issuerKey: rootKey, ca: false })
  const alipayPublicCert = issued(
    [
      ['C', 'CN'],
      ['O', 'alipay-kit sandbox'],
      ['OU', 'Alipay'],
      ['CN', 'Alipay public key (sandbox)'],
    ],
    createPublicKey(alipayPrivateKey),
  )
  const appCert = issued(
    [
      ['C', 'CN'],
      ['O', 'alipay-kit sandbox'],
      ['OU', 'Alipay Open Platform app'],
      ['CN', appId],
    ],
    appPublicKey,
  )
  // Alipay's root bundle also holds a root that is not RSA-signed (SM2), which the root SN leaves
  // out: an EC root here stands for it.
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
  const ecName = [
    ['C', 'CN'],
    ['O', 'alipay-kit sandbox'],
    ['CN', 'alipay-kit Sandbox EC Root'],
  ] as const
  const ecRoot = certificate({
    subject: ecName,
    issuer: ecName,
    subjectKey: ec.publicKey,
    issuerKey: ec.privateKey,
    ca: true,
  })
  // Every file must read back as what it claims: a certificate the root signed.
  for (const pem of [alipayPublicCert, appCert])
    if (!new X509Certificate(pem).verify(rootPublic))
      throw new Error('a sandbox certificate does not verify with its root')
  return { appCert, alipayPublicCert, alipayRootCert: `${root}${ecRoot}` }
}

/**
 * A certificate's SN as Alipay computes it: md5 of the issuer, most specific attribute first
 * (`CN=…,OU=…,O=…,C=…`), followed by the serial number in decimal. The simulator's own code, not
 * the core's, so that a mistake on either side shows.
 */
export function serialNumberOf(pem: string): string {
  const cert = new X509Certificate(pem)
  const issuer = cert.issuer.split('\n').reverse().join(',')
  return createHash('md5')
    .update(`${issuer}${BigInt(`0x${cert.serialNumber}`).toString(10)}`)
    .digest('hex')
}

/**
 * The root bundle's SN: the SNs of its RSA-signed certificates, joined by `_` (the simulator's
 * roots sign themselves, so an RSA key is an RSA signature).
 */
export function rootSerialNumberOf(bundle: string): string {
  return (bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [])
    .filter((pem) => new X509Certificate(pem).publicKey.asymmetricKeyType === 'rsa')
    .map(serialNumberOf)
    .join('_')
}
