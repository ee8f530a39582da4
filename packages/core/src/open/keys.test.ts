import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AlipayKeyError } from '../shared/errors.js'
import { makeCertificate, makeKeyPair } from '../test-support/keys.js'
import { parsePrivateKey, parsePublicKey } from './keys.js'
import { openSignString, rsaSignParams, rsaSignString, rsaVerifyString } from './rsa.js'

const pair = makeKeyPair()

describe('keys', () => {
  it.each([
    ['PKCS#1 PEM', pair.pkcs1Pem],
    ['PKCS#8 PEM', pair.pkcs8Pem],
    ['PKCS#8 bare base64', pair.pkcs8Base64],
    ['PKCS#1 bare base64', pair.pkcs1Base64],
    ['bare base64 with a trailing newline', `${pair.pkcs8Base64}\n`],
    ['bare base64 wrapped at 64 columns', pair.pkcs8Base64.replace(/(.{64})/g, '$1\n')],
    ['PEM with surrounding blank lines', `\n\n${pair.pkcs1Pem}\n`],
    ['a Buffer', Buffer.from(pair.pkcs8Pem)],
  ])('reads a private key given as %s', (_label, input) => {
    const key = parsePrivateKey(input)
    const signature = rsaSignString('payload', key)
    expect(rsaVerifyString('payload', signature, pair.publicKey)).toBe(true)
  })

  it.each([
    ['SPKI PEM', pair.spkiPem],
    ['PKCS#1 public PEM', pair.pkcs1PublicPem],
    ['SPKI bare base64', pair.spkiBase64],
    ['SPKI bare base64 with newline', `${pair.spkiBase64}\n`],
  ])('reads a public key given as %s', (_label, input) => {
    const key = parsePublicKey(input)
    expect(rsaVerifyString('payload', rsaSignString('payload', pair.privateKey), key)).toBe(true)
  })

  it('reads the public key of a certificate (certificate mode)', () => {
    const pem = makeCertificate({
      subject: '/C=CN/O=Ant Financial/CN=Alipay Test',
      algorithm: 'rsa',
      serial: '7',
    })
    expect(parsePublicKey(pem).asymmetricKeyType).toBe('rsa')
  })

  it('says what is wrong with a swapped or broken key', () => {
    expect(() => parsePrivateKey(pair.spkiPem)).toThrow(
      /public key or certificate; pass the private key/,
    )
    expect(() => parsePublicKey(pair.pkcs8Pem)).toThrow(/is a private key/)
    expect(() => parsePrivateKey('not a key')).toThrow(AlipayKeyError)
    expect(() => parsePrivateKey(pair.pkcs8Base64.slice(0, 200))).toThrow(/PKCS#1 or PKCS#8 PEM/)
    expect(() => parsePrivateKey(pair.publicKey)).toThrow(/is a public key/)
  })

  it('refuses malformed signatures without throwing', () => {
    expect(rsaVerifyString('payload', 'not base64!', pair.publicKey)).toBe(false)
    expect(rsaVerifyString('payload', '', pair.publicKey)).toBe(false)
    expect(rsaVerifyString('payload', 'AAAA', pair.publicKey)).toBe(false)
  })
})

describe('RSA2 sign → verify', () => {
  it('round-trips parameters with +, %, &, =, spaces and CJK, and any change breaks it', () => {
    const value = fc.string({
      unit: fc.constantFrom(...'ab +%&=中文龙井 ~/'.split('')),
      minLength: 1,
      maxLength: 16,
    })
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), value, { minKeys: 1, maxKeys: 8 }),
        (params) => {
          const sign = rsaSignParams(params, pair.privateKey)
          expect(rsaVerifyString(openSignString(params), sign, pair.publicKey)).toBe(true)
          const [first] = Object.keys(params) as [string]
          expect(
            rsaVerifyString(
              openSignString({ ...params, [first]: `${params[first]}+` }),
              sign,
              pair.publicKey,
            ),
          ).toBe(false)
        },
      ),
      { numRuns: 60 },
    )
  })
})
