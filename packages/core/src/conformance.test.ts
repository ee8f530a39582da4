import { describe, expect, it } from 'vitest'
import { type ConformanceSample, conformanceSamples } from './conformance/corpus.js'
import { parseLegacyAnswer } from './legacy/answer.js'
import { createLegacyConfig } from './legacy/config.js'
import { md5Sign } from './legacy/md5.js'
import {
  verifyLegacyNotification,
  verifyLegacySignedParams,
  verifyOpenNotification,
  verifyOpenSignedParams,
} from './notify/verify.js'
import { createOpenConfig } from './open/config.js'
import { topLevelValueSpans, verifyOpenResponse } from './open/response.js'
import { rsaSignString } from './open/rsa.js'
import { parseTradeBill } from './open/trade-bill.js'
import { canonicalString } from './shared/canonical.js'
import { percentEncode } from './shared/charset.js'
import { makeKeyPair } from './test-support/keys.js'

/*
 * The conformance corpus (packages/core/conformance, one JSON file per message): samples in
 * Alipay's real formats, each transcribed from a named source (Alipay's documentation, the
 * official SDKs' code and fixtures), never from this project's simulator. The core must verify
 * and read every one. A sample with Alipay's genuine signature is verified as it is, with the
 * key its source gives; the others are signed here with a test key, their fields untouched.
 */

type Sample = ConformanceSample

const SAMPLES = conformanceSamples()

const testKeys = makeKeyPair()
const LEGACY_KEY = 'conformancecorpuskey0123456789ab'

function form(fields: Record<string, string>, charset: 'utf-8' | 'gbk' = 'utf-8'): Buffer {
  return Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `${name}=${percentEncode(value, charset)}`)
      .join('&'),
  )
}

/** The sample's fields as Alipay would send them to this test's merchant: re-signed unless genuine. */
function signedBody(sample: Sample): Buffer {
  const fields = sample.fields ?? {}
  if (sample.signature?.genuine) return form(fields)
  const { sign: _s, sign_type: type, ...unsigned } = fields
  if (sample.gateway === 'legacy') {
    const charset = fields._input_charset === 'gbk' || fields.charset === 'gbk' ? 'gbk' : 'utf-8'
    return form(
      { ...unsigned, sign: md5Sign(unsigned, LEGACY_KEY, charset), sign_type: 'MD5' },
      charset,
    )
  }
  const sign = rsaSignString(
    canonicalString(unsigned, { exclude: [], dropEmpty: false }),
    testKeys.privateKey,
  )
  return form({ ...unsigned, sign, sign_type: type ?? 'RSA2' })
}

function openConfig(sample: Sample) {
  const fields = sample.fields ?? {}
  return createOpenConfig({
    appId: fields.app_id ?? (sample.expect.appId as string | undefined) ?? '2021000000000001',
    privateKey: testKeys.pkcs8Pem,
    alipayPublicKey: sample.signature?.alipayPublicKey ?? testKeys.spkiPem,
    ...(fields.seller_id ? { sellerId: fields.seller_id } : {}),
  })
}

function legacyConfig(sample: Sample) {
  const fields = sample.fields ?? {}
  return createLegacyConfig({
    partner: fields.seller_id ?? '2088101122136241',
    key: LEGACY_KEY,
    ...(fields.seller_email ? { sellerEmail: fields.seller_email } : {}),
  })
}

describe('the conformance corpus', () => {
  it('holds samples of every kind, each with its source and its simulator event', () => {
    const kinds = new Set(SAMPLES.map((s) => `${s.gateway} ${s.kind}`))
    expect([...kinds].sort()).toEqual([
      'legacy answer',
      'legacy notify',
      'legacy return',
      'open answer',
      'open bill',
      'open notify',
      'open return',
    ])
    for (const sample of SAMPLES) {
      expect(sample.source.length, sample.file).toBeGreaterThan(40)
      expect(sample.simulator?.event, sample.file).toMatch(/^[a-z-]+$/)
    }
  })

  it.each(SAMPLES.filter((s) => s.kind === 'notify').map((s) => [s.file, s] as const))(
    '%s: the core verifies it and reads what it says',
    (_file, sample) => {
      const raw = { body: signedBody(sample), contentType: 'application/x-www-form-urlencoded' }
      const result =
        sample.gateway === 'open'
          ? verifyOpenNotification(openConfig(sample), raw)
          : verifyLegacyNotification(legacyConfig(sample), raw)
      if (!result.ok) throw new Error(`${result.rejection.code}: ${result.rejection.reason}`)
      expect(result.notification).toMatchObject(sample.expect)
    },
  )

  it.each(SAMPLES.filter((s) => s.kind === 'return').map((s) => [s.file, s] as const))(
    '%s: the core verifies the return',
    (_file, sample) => {
      const raw = { body: signedBody(sample), contentType: 'application/x-www-form-urlencoded' }
      const result =
        sample.gateway === 'open'
          ? verifyOpenSignedParams(openConfig(sample), raw)
          : verifyLegacySignedParams(legacyConfig(sample), raw)
      if (!result.ok) throw new Error(`${result.rejection.code}: ${result.rejection.reason}`)
      expect(result.params).toMatchObject(sample.expect)
    },
  )

  it.each(
    SAMPLES.filter((s) => s.kind === 'answer' && s.gateway === 'legacy').map(
      (s) => [s.file, s] as const,
    ),
  )('%s: the core reads the legacy gateway answer', (_file, sample) => {
    const answer = sample.answer as string
    const config = createLegacyConfig({ partner: '2088411293539364', key: LEGACY_KEY })
    // The MD5 sign covers the <response> leaves; sign them here with the test key.
    const { fields } = parseLegacyAnswer(config, answer)
    const body = answer.replace(
      /<sign>[^<]*<\/sign>/,
      `<sign>${md5Sign(fields, LEGACY_KEY, 'utf-8')}</sign>`,
    )
    expect(parseLegacyAnswer(config, body)).toMatchObject(sample.expect)
  })

  it.each(
    SAMPLES.filter((s) => s.kind === 'answer' && s.gateway === 'open').map(
      (s) => [s.file, s] as const,
    ),
  )('%s: the core reads the gateway answer', (_file, sample) => {
    const method = sample.method as string
    const answer = sample.answer as string
    // The *_response value's exact text is what Alipay signs; sign it here unless genuine.
    const key = `${method.replace(/\./g, '_')}_response`
    const span = topLevelValueSpans(answer).get(key)
    const body =
      sample.signature?.genuine || !span
        ? answer
        : answer.replace(
            /"sign":"[^"]*"/,
            () =>
              `"sign":"${rsaSignString(answer.slice(span.start, span.end), testKeys.privateKey)}"`,
          )
    const config = createOpenConfig({
      appId: '2021000000000001',
      privateKey: testKeys.pkcs8Pem,
      alipayPublicKey: sample.signature?.alipayPublicKey ?? testKeys.spkiPem,
    })
    expect(verifyOpenResponse(config, method, body)).toMatchObject(sample.expect)
  })

  it.each(SAMPLES.filter((s) => s.kind === 'bill').map((s) => [s.file, s] as const))(
    '%s: the core reads the bill',
    (_file, sample) => {
      const bill = parseTradeBill(sample.csv as string)
      expect(bill).toMatchObject(sample.expect)
      expect(bill.lines[0]?.refundRequestNo).toBeUndefined()
    },
  )
})
