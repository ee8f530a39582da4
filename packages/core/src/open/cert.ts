import { createHash, X509Certificate } from 'node:crypto'
import { AlipayKeyError } from '../shared/errors.js'
import { certificateSignatureOid } from './der.js'

/** Signature algorithms of the RSA family (PKCS#1): 1.2.840.113549.1.1.* */
const RSA_FAMILY = '1.2.840.113549.1.1.'

function readCertificate(pem: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem)
  } catch {
    throw new AlipayKeyError(
      `Could not read the ${what}: expected a PEM certificate (-----BEGIN CERTIFICATE-----)`,
    )
  }
}

/**
 * Alipay's certificate serial number (SN): md5 of the issuer written `CN=..,OU=..,O=..,C=..`
 * (most specific first, the reverse of the certificate's order) followed by the serial number in decimal.
 */
export function certificateSn(certificate: X509Certificate | string): string {
  const cert =
    typeof certificate === 'string' ? readCertificate(certificate, 'app certificate') : certificate
  const issuer = cert.issuer.split('\n').reverse().join(',')
  const serial = BigInt(`0x${cert.serialNumber}`).toString(10)
  return createHash('md5')
    .update(issuer + serial, 'utf8')
    .digest('hex')
}

/** Splits a PEM bundle into its certificates. */
export function splitPemBundle(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

/**
 * `alipay_root_cert_sn`: the SNs of the root bundle's RSA-signed certificates joined by `_`
 * (Alipay's root bundle also holds an SM2 certificate, which is left out).
 */
export function rootCertificateSn(bundle: string): string {
  const pems = splitPemBundle(bundle)
  if (pems.length === 0)
    throw new AlipayKeyError('The Alipay root certificate bundle holds no PEM certificate')
  return pems
    .map((pem) => readCertificate(pem, 'Alipay root certificate'))
    .filter((cert) => certificateSignatureOid(cert.raw).startsWith(RSA_FAMILY))
    .map((cert) => certificateSn(cert))
    .join('_')
}
