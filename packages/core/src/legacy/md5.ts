import { createHash, timingSafeEqual } from 'node:crypto'
import { type AlipayParams, canonicalString } from '../shared/canonical.js'
import { type AlipayCharset, encodeText } from '../shared/charset.js'

/** What the legacy gateway leaves out of the signed string, besides empty values. */
export const LEGACY_UNSIGNED = ['sign', 'sign_type'] as const

/** The legacy sign string for `params` (without the key). */
export function legacySignString(params: AlipayParams): string {
  return canonicalString(params, { exclude: LEGACY_UNSIGNED, dropEmpty: true })
}

/**
 * MD5 signature of the legacy gateway: md5(canonical string + key) over the bytes in `charset`,
 * lowercase hex. The key is appended with no separator (docs/protocol.md, "Legacy signing (MD5)").
 */
export function md5Sign(params: AlipayParams, key: string, charset: AlipayCharset): string {
  return createHash('md5')
    .update(encodeText(legacySignString(params) + key, charset))
    .digest('hex')
}

/** Verifies a legacy MD5 signature in constant time. `sign` is compared case-insensitively. */
export function md5Verify(
  params: AlipayParams,
  sign: string,
  key: string,
  charset: AlipayCharset,
): boolean {
  const expected = Buffer.from(md5Sign(params, key, charset), 'latin1')
  const actual = Buffer.from(sign.toLowerCase(), 'latin1')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
