import { AlipayKeyError } from '../shared/errors.js'

/**
 * Just enough DER to read a certificate's outer signatureAlgorithm OID, which Node 20's
 * X509Certificate does not expose. Certificate ::= SEQUENCE { tbs SEQUENCE, sigAlg SEQUENCE { OID, … }, … }
 */
interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
  readonly next: number
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  const tag = der[offset]
  let length = der[offset + 1]
  if (tag === undefined || length === undefined)
    throw new AlipayKeyError('The certificate is truncated (DER)')
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4)
      throw new AlipayKeyError('The certificate has a DER length this reader does not support')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0)
    start += count
  }
  const end = start + length
  if (end > der.length) throw new AlipayKeyError('The certificate is truncated (DER)')
  return { tag, start, end, next: end }
}

function decodeOid(bytes: Uint8Array): string {
  const first = bytes[0] ?? 0
  const parts = [Math.floor(first / 40), first % 40]
  let value = 0
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f)
    if (!(byte & 0x80)) {
      parts.push(value)
      value = 0
    }
  }
  return parts.join('.')
}

/** The OID of the algorithm a certificate is signed with, e.g. 1.2.840.113549.1.1.11 (sha256WithRSA). */
export function certificateSignatureOid(der: Uint8Array): string {
  const certificate = readTlv(der, 0)
  const tbs = readTlv(der, certificate.start)
  const algorithm = readTlv(der, tbs.next)
  const oid = readTlv(der, algorithm.start)
  if (certificate.tag !== 0x30 || algorithm.tag !== 0x30 || oid.tag !== 0x06)
    throw new AlipayKeyError('This is not an X.509 certificate')
  return decodeOid(der.subarray(oid.start, oid.end))
}
