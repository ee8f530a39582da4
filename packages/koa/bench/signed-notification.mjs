import { createSign, generateKeyPairSync } from 'node:crypto'

/**
 * The form body of an Open Platform notification signed RSA2 with "Alipay's" private key, written
 * with node:crypto alone (not the kit's signing code, so the benchmarks do not sign with what they
 * measure): the fields sorted, `key=value` joined by `&`, signed, then form-encoded.
 */
export function signedOpenNotification(fields, alipayPrivateKey) {
  const text = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('&')
  const sign = createSign('RSA-SHA256').update(text).sign(alipayPrivateKey, 'base64')
  return new URLSearchParams({ ...fields, sign, sign_type: 'RSA2' }).toString()
}

/** An RSA-2048 key pair as PEM (pkcs8 / spki), as a merchant or "Alipay" would hold it. */
export function pemKeyPair() {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }),
  }
}
