import { execFileSync } from 'node:child_process'
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestKeyPair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly pkcs1Pem: string
  readonly pkcs8Pem: string
  readonly spkiPem: string
  readonly pkcs1PublicPem: string
  /** Bare base64 as Alipay's key tool prints it. */
  readonly pkcs8Base64: string
  readonly pkcs1Base64: string
  readonly spkiBase64: string
}

/** A fresh RSA-2048 key pair in every format integrators meet. Keys are made at run time, never committed. */
export function makeKeyPair(): TestKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const der = (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'spki') =>
    (key.export({ format: 'der', type } as never) as Buffer).toString('base64')
  return {
    privateKey,
    publicKey,
    pkcs1Pem: privateKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    pkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    spkiPem: publicKey.export({ format: 'pem', type: 'spki' }) as string,
    pkcs1PublicPem: publicKey.export({ format: 'pem', type: 'pkcs1' }) as string,
    pkcs8Base64: der(privateKey, 'pkcs8'),
    pkcs1Base64: der(privateKey, 'pkcs1'),
    spkiBase64: der(publicKey, 'spki'),
  }
}

/** A self-signed certificate made by the openssl CLI (an independent tool), PEM. */
export function makeCertificate(options: {
  subject: string
  algorithm: 'rsa' | 'ec'
  serial: string
  /** The key the certificate holds (PEM); a new one by default. */
  privateKeyPem?: string
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'alipay-kit-cert-'))
  if (options.privateKeyPem) writeFileSync(join(dir, 'own.pem'), options.privateKeyPem)
  const keyArgs = options.privateKeyPem
    ? ['-key', join(dir, 'own.pem')]
    : options.algorithm === 'rsa'
      ? ['-newkey', 'rsa:2048']
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...keyArgs,
      '-nodes',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      '30',
      '-subj',
      options.subject,
      '-set_serial',
      options.serial,
    ],
    { stdio: 'ignore' },
  )
  return readFileSync(join(dir, 'cert.pem'), 'utf8')
}
