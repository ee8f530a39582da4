import { createVerify, type KeyObject, sign } from 'node:crypto'
import { type AlipayParams, canonicalString } from '../shared/canonical.js'
import { type AlipayCharset, encodeText } from '../shared/charset.js'

/** Open Platform signature types: RSA2 is SHA256withRSA; RSA (SHA1withRSA) only for old apps. */
export type RsaSignType = 'RSA2' | 'RSA'

const HASH: Record<RsaSignType, string> = { RSA2: 'sha256', RSA: 'sha1' }

export function isRsaSignType(value: string | undefined): value is RsaSignType {
  return value === 'RSA2' || value === 'RSA'
}

/** Signs a UTF-8 string with the app private key; base64. */
export function rsaSignString(
  content: string,
  privateKey: KeyObject,
  signType: RsaSignType = 'RSA2',
): string {
  return sign(HASH[signType], Buffer.from(content, 'utf8'), privateKey).toString('base64')
}

/**
 * Verifies a base64 signature over a string's bytes in `charset` (UTF-8 unless a GBK notification says otherwise). Never throws: a malformed signature (a `+`
 * turned into a space, a truncated copy) simply does not verify.
 */
export function rsaVerifyString(
  content: string,
  signature: string,
  publicKey: KeyObject,
  signType: RsaSignType = 'RSA2',
  charset: AlipayCharset = 'utf-8',
): boolean {
  try {
    const data = charset === 'utf-8' ? content : encodeText(content, charset)
    return createVerify(HASH[signType]).update(data).verify(publicKey, signature, 'base64')
  } catch {
    return false
  }
}

/** The Open Platform request sign string: every parameter but `sign`, sorted, raw `k=v` joined by `&`. */
export function openSignString(params: AlipayParams): string {
  return canonicalString(params, { exclude: ['sign'], dropEmpty: true })
}

/** Signs Open Platform request parameters. */
export function rsaSignParams(
  params: AlipayParams,
  privateKey: KeyObject,
  signType: RsaSignType = 'RSA2',
): string {
  return rsaSignString(openSignString(params), privateKey, signType)
}
