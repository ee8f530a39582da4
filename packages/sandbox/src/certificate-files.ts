import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SandboxCertificates } from './certificates.js'

/**
 * Writes the certificates as the Open Platform console names its downloads, so a BFF is
 * configured with files as it would be against Alipay; returns their paths.
 */
export function writeCertificates(
  dir: string,
  appId: string,
  certificates: SandboxCertificates,
): string[] {
  mkdirSync(dir, { recursive: true })
  const files: Array<[string, string]> = [
    [`appCertPublicKey_${appId}.crt`, certificates.appCert],
    ['alipayCertPublicKey_RSA2.crt', certificates.alipayPublicCert],
    ['alipayRootCert.crt', certificates.alipayRootCert],
  ]
  return files.map(([name, pem]) => {
    const path = join(dir, name)
    writeFileSync(path, pem)
    return path
  })
}
