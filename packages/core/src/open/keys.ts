import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { AlipayKeyError } from '../shared/errors.js'

/** A key as integrators have it: a KeyObject, a PEM (PKCS#1 or PKCS#8 / SPKI), or bare base64 DER. */
export type KeyInput = KeyObject | string | Buffer

function bareBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined
  return Buffer.from(compact, 'base64')
}

function attempt(make: () => KeyObject): KeyObject | undefined {
  try {
    return make()
  } catch {
    return undefined
  }
}

/**
 * Parses the app's RSA private key once. Accepts PEM in PKCS#1 (an "RSA" private-key block) or
 * PKCS#8, and the bare base64 of either, as Alipay's key tool prints it, with or without line breaks.
 */
export function parsePrivateKey(input: KeyInput, what = 'app private key'): KeyObject {
  if (typeof input === 'object' && 'type' in input && !Buffer.isBuffer(input)) {
    if (input.type !== 'private')
      throw new AlipayKeyError(`The ${what} is a ${input.type} key; pass the private key`)
    return input
  }
  const text = Buffer.isBuffer(input) ? input.toString('utf8') : input
  const trimmed = text.trim()
  let key: KeyObject | undefined
  if (trimmed.includes('-----BEGIN')) {
    if (/PUBLIC KEY|CERTIFICATE/.test(trimmed)) {
      throw new AlipayKeyError(
        `The ${what} is a public key or certificate; pass the private key generated with it`,
      )
    }
    key = attempt(() => createPrivateKey({ key: trimmed, format: 'pem' }))
  } else {
    const der = bareBase64(trimmed)
    if (der) {
      key =
        attempt(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })) ??
        attempt(() => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }))
    }
  }
  if (key?.asymmetricKeyType !== 'rsa') {
    throw new AlipayKeyError(
      `Could not read the ${what}: expected an RSA key as PKCS#1 or PKCS#8 PEM, or the bare base64 from Alipay's key tool`,
    )
  }
  return key
}

/**
 * Parses a public key once: SPKI PEM, PKCS#1 PEM (an "RSA" public-key block), an X.509 certificate
 * (certificate mode), or bare base64 of SPKI or PKCS#1 DER.
 */
export function parsePublicKey(input: KeyInput, what = 'Alipay public key'): KeyObject {
  if (typeof input === 'object' && 'type' in input && !Buffer.isBuffer(input)) {
    if (input.type === 'private') return createPublicKey(input)
    return input
  }
  const text = Buffer.isBuffer(input) ? input.toString('utf8') : input
  const trimmed = text.trim()
  let key: KeyObject | undefined
  if (trimmed.includes('-----BEGIN CERTIFICATE')) {
    key = attempt(() => new X509Certificate(trimmed).publicKey)
  } else if (trimmed.includes('-----BEGIN')) {
    if (trimmed.includes('PRIVATE KEY')) {
      throw new AlipayKeyError(
        `The ${what} is a private key; never configure a private key where a public key belongs`,
      )
    }
    key = attempt(() => createPublicKey({ key: trimmed, format: 'pem' }))
  } else {
    const der = bareBase64(trimmed)
    if (der) {
      key =
        attempt(() => createPublicKey({ key: der, format: 'der', type: 'spki' })) ??
        attempt(() => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }))
    }
  }
  if (key?.asymmetricKeyType !== 'rsa') {
    throw new AlipayKeyError(
      `Could not read the ${what}: expected an RSA public key as PEM, bare base64 or an X.509 certificate`,
    )
  }
  return key
}
