import { createHash, createSign, createVerify, type KeyObject } from 'node:crypto'
import iconv from 'iconv-lite'
import type { Charset } from './http/form.js'

/*
 * The simulator's own signing and verification, written apart from @alipay-kit/core on purpose:
 * names are sorted by their bytes (Buffer.compare), joined by hand, and hashed with the charset's
 * bytes. If the core ever canonicalises differently, requests to the simulator fail with
 * ILLEGAL_SIGN / isv.invalid-signature and its notifications fail the core's checks.
 */

function signedText(
  params: ReadonlyMap<string, string>,
  leaveOut: readonly string[],
  keepEmpty = false,
): string {
  const names = [...params.keys()]
    .filter((name) => !leaveOut.includes(name) && (keepEmpty || params.get(name) !== ''))
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  return names.map((name) => `${name}=${params.get(name)}`).join('&')
}

function bytes(text: string, charset: Charset): Buffer {
  return iconv.encode(text, charset === 'utf-8' ? 'utf8' : 'gbk')
}

/** MD5 signature of the legacy gateway. */
export function legacySign(
  params: ReadonlyMap<string, string>,
  key: string,
  charset: Charset,
): string {
  return createHash('md5')
    .update(bytes(signedText(params, ['sign', 'sign_type']) + key, charset))
    .digest('hex')
}

export function legacySignatureValid(
  params: ReadonlyMap<string, string>,
  key: string,
  charset: Charset,
): boolean {
  const sign = params.get('sign')
  return sign !== undefined && sign.toLowerCase() === legacySign(params, key, charset)
}

const HASHES = { RSA2: 'RSA-SHA256', RSA: 'RSA-SHA1' } as const
export type RsaType = keyof typeof HASHES

/** The text an Open Platform request's signature covers: every parameter but `sign`, sorted. */
export function openRequestSignString(params: ReadonlyMap<string, string>): string {
  return signedText(params, ['sign'])
}

/** Open Platform request verification: every parameter but `sign`, UTF-8. */
export function openRequestSignatureValid(
  params: ReadonlyMap<string, string>,
  publicKey: KeyObject,
  type: RsaType,
): boolean {
  const sign = params.get('sign')
  if (!sign) return false
  try {
    return createVerify(HASHES[type])
      .update(bytes(signedText(params, ['sign']), 'utf-8'))
      .verify(publicKey, sign, 'base64')
  } catch {
    return false
  }
}

/**
 * Signs an Open Platform notification or return as Alipay does: every field but `sign` and
 * `sign_type`, empty values included (the official SDKs' getSignCheckContentV1 / checkNotifySign).
 */
export function openNotificationSign(
  params: ReadonlyMap<string, string>,
  privateKey: KeyObject,
  charset: Charset,
): string {
  return createSign('RSA-SHA256')
    .update(bytes(signedText(params, ['sign', 'sign_type'], true), charset))
    .sign(privateKey, 'base64')
}

/** Signs a gateway answer's `*_response` JSON text. */
export function signText(text: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64')
}
