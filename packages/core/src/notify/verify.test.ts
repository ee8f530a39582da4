import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { createLegacyConfig } from '../legacy/config.js'
import { md5Sign } from '../legacy/md5.js'
import { createOpenConfig } from '../open/config.js'
import { rsaSignString } from '../open/rsa.js'
import { canonicalString } from '../shared/canonical.js'
import { percentEncode } from '../shared/charset.js'
import { makeKeyPair } from '../test-support/keys.js'
import {
  checkNotificationAgainstOrder,
  verifyLegacyNotification,
  verifyLegacyNotificationWithGateway,
  verifyLegacySignedParams,
  verifyLegacySignedParamsWithGateway,
  verifyOpenNotification,
  verifyOpenSignedParams,
} from './verify.js'

const SELLER = '2088101122136241'
const legacy = createLegacyConfig({ partner: SELLER, key: 'abcdefghijklmnopqrstuvwxyz012345' })

function legacyBody(
  fields: Record<string, string>,
  charset: 'utf-8' | 'gbk' = 'utf-8',
  key = legacy.key,
): Buffer {
  const signed = { ...fields, sign: md5Sign(fields, key, charset), sign_type: 'MD5' }
  return Buffer.from(
    Object.entries(signed)
      .map(([k, v]) => `${k}=${percentEncode(v, charset)}`)
      .join('&'),
  )
}

const paid = {
  notify_id: 'n-1',
  notify_type: 'trade_status_sync',
  notify_time: '2026-11-24 20:00:00',
  out_trade_no: 'A1001',
  trade_no: '2026112400001000000000000001',
  trade_status: 'WAIT_SELLER_SEND_GOODS',
  total_fee: '128.00',
  seller_id: SELLER,
  subject: '龙井茶 a+b',
}

describe('legacy notifications', () => {
  it('verifies a genuine notification and normalises it', () => {
    const result = verifyLegacyNotification(legacy, {
      body: legacyBody(paid),
      contentType: 'application/x-www-form-urlencoded',
    })
    expect(result).toMatchObject({
      ok: true,
      notification: {
        gateway: 'legacy',
        outTradeNo: 'A1001',
        tradeStatus: 'WAIT_SELLER_SEND_GOODS',
        amountFen: 12800,
        notifyId: 'n-1',
      },
    })
  })

  it('verifies a GBK notification signed over GBK bytes', () => {
    const gbk = { ...paid, _input_charset: 'gbk' }
    const result = verifyLegacyNotification(legacy, { body: legacyBody(gbk, 'gbk') })
    expect(result.ok && result.notification.params.subject).toBe('龙井茶 a+b')
    // The same fields signed over UTF-8 bytes but declared GBK do not verify.
    const wrong = { ...gbk, sign: md5Sign(gbk, legacy.key, 'utf-8'), sign_type: 'MD5' }
    const wrongBody = Buffer.from(
      Object.entries(wrong)
        .map(([k, v]) => `${k}=${percentEncode(v, 'gbk')}`)
        .join('&'),
    )
    expect(verifyLegacyNotification(legacy, { body: wrongBody })).toMatchObject({
      ok: false,
      rejection: { code: 'BAD_SIGNATURE' },
    })
    expect(iconv.encodingExists('gbk')).toBe(true)
  })

  it('reads a GBK notification that declares no charset in the shop’s configured one', () => {
    // No _input_charset field, no charset in the Content-Type: Alipay's demo code reads it in
    // the charset the shop configured (docs/protocol.md, "Notifications").
    const gbkShop = createLegacyConfig({ partner: SELLER, key: legacy.key, charset: 'gbk' })
    const raw = { body: legacyBody(paid, 'gbk'), contentType: 'application/x-www-form-urlencoded' }
    expect(raw.body.includes(Buffer.from('龙井茶'))).toBe(false)
    const result = verifyLegacyNotification(gbkShop, raw)
    expect(result.ok && result.notification.params.subject).toBe('龙井茶 a+b')
    // A UTF-8 shop reads the same bytes as UTF-8, which they are not: refused, nothing recorded.
    expect(verifyLegacyNotification(legacy, raw)).toMatchObject({ ok: false })
  })

  it.each([
    ['a changed amount', { total_fee: '0.01' }, 'BAD_SIGNATURE'],
    ['a changed status', { trade_status: 'TRADE_FINISHED' }, 'BAD_SIGNATURE'],
  ])('rejects %s (signed before the change)', (_label, change, code) => {
    const original = legacyBody(paid).toString()
    const [field, value] = Object.entries(change)[0] as [string, string]
    const tampered = original.replace(
      `${field}=${percentEncode(paid[field as keyof typeof paid], 'utf-8')}`,
      `${field}=${value}`,
    )
    expect(tampered).not.toBe(original)
    expect(verifyLegacyNotification(legacy, { body: Buffer.from(tampered) })).toMatchObject({
      ok: false,
      rejection: { code },
    })
  })

  it('rejects another key, another seller, another sign type, and unknown statuses, with reasons', () => {
    expect(
      verifyLegacyNotification(legacy, {
        body: legacyBody(paid, 'utf-8', 'zyxwvutsrqponmlkjihgfedcba543210'),
      }),
    ).toMatchObject({ ok: false, rejection: { code: 'BAD_SIGNATURE' } })
    const other = verifyLegacyNotification(legacy, {
      body: legacyBody({ ...paid, seller_id: '2088000000000009' }),
    })
    expect(other).toMatchObject({ ok: false, rejection: { code: 'WRONG_SELLER' } })
    if (!other.ok) expect(other.rejection.reason).toContain('2088000000000009')
    const rsa = Buffer.from(
      `${legacyBody(paid).toString().replace('sign_type=MD5', 'sign_type=RSA')}`,
    )
    expect(verifyLegacyNotification(legacy, { body: rsa })).toMatchObject({
      ok: false,
      rejection: { code: 'UNSUPPORTED_SIGN_TYPE' },
    })
    expect(
      verifyLegacyNotification(legacy, {
        body: legacyBody({ ...paid, trade_status: 'PAID_MAYBE' }),
      }),
    ).toMatchObject({ ok: false, rejection: { code: 'BAD_FIELD' } })
    expect(
      verifyLegacyNotification(legacy, { body: legacyBody({ ...paid, total_fee: '1e3' }) }),
    ).toMatchObject({ ok: false, rejection: { code: 'BAD_FIELD' } })
    const { notify_id: _drop, ...noId } = paid
    expect(verifyLegacyNotification(legacy, { body: legacyBody(noId) })).toMatchObject({
      ok: false,
      rejection: { code: 'MISSING_FIELD' },
    })
    expect(
      verifyLegacyNotification(legacy, {
        body: Buffer.from('{"a":1}'),
        contentType: 'application/json',
      }),
    ).toMatchObject({ ok: false, rejection: { code: 'MALFORMED' } })
  })

  it('asks notify_verify and refuses a notify_id Alipay did not issue', async () => {
    const asked: string[] = []
    const gateway = (answer: string) => async (url: string) => {
      asked.push(url)
      return answer
    }
    const ok = await verifyLegacyNotificationWithGateway(
      legacy,
      { body: legacyBody(paid) },
      gateway('true'),
    )
    expect(ok.ok).toBe(true)
    expect(asked[0]).toBe(
      `https://mapi.alipay.com/gateway.do?service=notify_verify&partner=${SELLER}&notify_id=n-1`,
    )
    expect(
      await verifyLegacyNotificationWithGateway(
        legacy,
        { body: legacyBody(paid) },
        gateway('false'),
      ),
    ).toMatchObject({ ok: false, rejection: { code: 'NOT_VERIFIED_BY_ALIPAY' } })
    const down = await verifyLegacyNotificationWithGateway(
      legacy,
      { body: legacyBody(paid) },
      async () => {
        throw new Error('connect ECONNREFUSED')
      },
    )
    expect(down).toMatchObject({ ok: false, rejection: { code: 'NOT_VERIFIED_BY_ALIPAY' } })
    if (!down.ok) expect(down.rejection.reason).toContain('ECONNREFUSED')
  })
})

describe('Open Platform notifications', () => {
  const app = makeKeyPair()
  const alipay = makeKeyPair()
  const APP_ID = '2021000000000001'
  const open = createOpenConfig({
    appId: APP_ID,
    privateKey: app.pkcs8Pem,
    alipayPublicKey: alipay.spkiPem,
    sellerId: SELLER,
  })
  const fields = {
    app_id: APP_ID,
    charset: 'utf-8',
    version: '1.0',
    notify_id: 'n-2',
    notify_type: 'trade_status_sync',
    notify_time: '2026-11-24 20:00:00',
    out_trade_no: 'A1002',
    trade_no: '2026112422001400000000000001',
    trade_status: 'TRADE_SUCCESS',
    total_amount: '88.80',
    seller_id: SELLER,
    fund_bill_list: '[{"amount":"88.80","fundChannel":"ALIPAYACCOUNT"}]',
    subject: 'tea a+b', // a plus sign in a value, always present for the +→space test
  }
  const signWith = (key: typeof alipay.privateKey, f: Record<string, string>) =>
    new URLSearchParams({
      ...f,
      sign_type: 'RSA2',
      sign: rsaSignString(
        canonicalString(f, { exclude: ['sign', 'sign_type'], dropEmpty: true }),
        key,
      ),
    }).toString()

  it('verifies a notification signed with Alipay’s key, fund_bill_list untouched', () => {
    const result = verifyOpenNotification(open, {
      body: Buffer.from(signWith(alipay.privateKey, fields)),
    })
    expect(result).toMatchObject({
      ok: true,
      notification: {
        gateway: 'open',
        tradeStatus: 'TRADE_SUCCESS',
        amountFen: 8880,
        appId: APP_ID,
      },
    })
    expect(result.ok && result.notification.params.fund_bill_list).toBe(fields.fund_bill_list)
  })

  it('also accepts the variant signed with sign_type included (alipay.open.public.*)', () => {
    const withType = { ...fields, sign_type: 'RSA2' }
    const sign = rsaSignString(
      canonicalString(withType, { exclude: ['sign'], dropEmpty: true }),
      alipay.privateKey,
    )
    expect(
      verifyOpenNotification(open, {
        body: Buffer.from(new URLSearchParams({ ...withType, sign }).toString()),
      }).ok,
    ).toBe(true)
  })

  it('verifies over exactly what came, empty values included (body=)', () => {
    // Alipay signs every field it sends but sign and sign_type, empty ones too
    // (docs/protocol.md, "Open Platform signing (RSA2)").
    const withEmpty = { ...fields, body: '', passback_params: '' }
    const sign = rsaSignString(
      canonicalString(withEmpty, { exclude: ['sign', 'sign_type'], dropEmpty: false }),
      alipay.privateKey,
    )
    expect(sign).not.toBe(
      rsaSignString(
        canonicalString(withEmpty, { exclude: ['sign', 'sign_type'], dropEmpty: true }),
        alipay.privateKey,
      ),
    )
    const genuine = new URLSearchParams({ ...withEmpty, sign_type: 'RSA2', sign }).toString()
    expect(genuine).toContain('body=&')
    const result = verifyOpenNotification(open, { body: Buffer.from(genuine) })
    expect(result).toMatchObject({ ok: true, notification: { kind: 'trade', amountFen: 8880 } })
    expect(result.ok && result.notification.params.body).toBe('')
    // A signature over the fields with the empty ones left out is not Alipay's: refused.
    const dropped = new URLSearchParams({
      ...withEmpty,
      sign_type: 'RSA2',
      sign: rsaSignString(
        canonicalString(withEmpty, { exclude: ['sign', 'sign_type'], dropEmpty: true }),
        alipay.privateKey,
      ),
    }).toString()
    expect(verifyOpenNotification(open, { body: Buffer.from(dropped) })).toMatchObject({
      ok: false,
      rejection: { code: 'BAD_SIGNATURE' },
    })
  })

  it('reports an Open Platform refund as REFUND_SUCCESS with its refund id', () => {
    const refund = {
      ...fields,
      notify_id: 'n-3',
      refund_fee: '10.00',
      gmt_refund: '2026-11-25 10:00:00.123',
      out_biz_no: 'R-1',
    }
    const result = verifyOpenNotification(open, {
      body: Buffer.from(signWith(alipay.privateKey, refund)),
    })
    expect(result).toMatchObject({
      ok: true,
      notification: { refundStatus: 'REFUND_SUCCESS', refundId: 'R-1', refundFen: 1000 },
    })
  })

  it.each([
    [
      'signed by the app key instead of Alipay’s',
      () => signWith(app.privateKey, fields),
      'BAD_SIGNATURE',
    ],
    [
      'another merchant’s app_id',
      () => signWith(alipay.privateKey, { ...fields, app_id: '2021000000000999' }),
      'WRONG_APP',
    ],
    [
      'another seller',
      () => signWith(alipay.privateKey, { ...fields, seller_id: '2088000000000009' }),
      'WRONG_SELLER',
    ],
    [
      'an amount changed after signing',
      () => signWith(alipay.privateKey, fields).replace('total_amount=88.80', 'total_amount=0.01'),
      'BAD_SIGNATURE',
    ],
    [
      'a + turned into a space',
      () => signWith(alipay.privateKey, fields).replace(/%2B/g, '+'),
      'BAD_SIGNATURE',
    ],
    [
      'sign_type RSA when RSA2 is configured',
      () => signWith(alipay.privateKey, fields).replace('sign_type=RSA2', 'sign_type=RSA'),
      'UNSUPPORTED_SIGN_TYPE',
    ],
  ])('rejects %s', (_label, make, code) => {
    expect(verifyOpenNotification(open, { body: Buffer.from(make()) })).toMatchObject({
      ok: false,
      rejection: { code },
    })
  })
})

describe('business checks against the order', () => {
  it('rejects an unknown order, a replay onto another order, and a different amount', () => {
    const result = verifyLegacyNotification(legacy, { body: legacyBody(paid) })
    if (!result.ok || result.notification.kind !== 'trade')
      throw new Error('expected a verified trade notification')
    const n = result.notification
    expect(
      checkNotificationAgainstOrder(n, { outTradeNo: 'A1001', amountFen: 12800 }),
    ).toBeUndefined()
    expect(checkNotificationAgainstOrder(n, undefined)).toMatchObject({ code: 'UNKNOWN_ORDER' })
    expect(
      checkNotificationAgainstOrder(n, { outTradeNo: 'A1002', amountFen: 12800 }),
    ).toMatchObject({ code: 'ORDER_MISMATCH' })
    expect(
      checkNotificationAgainstOrder(n, { outTradeNo: 'A1001', amountFen: 12801 }),
    ).toMatchObject({ code: 'AMOUNT_MISMATCH', reason: expect.stringContaining('128.01') })
  })
})

describe('signed returns that are not trade notifications', () => {
  const login = {
    is_success: 'T',
    notify_id: 'r-1',
    user_id: '2088102000000002',
    real_name: '李四',
    email: 'lisi@example.com',
    token: 'tok+en/=',
  }

  it('verifies a quick-login return from its raw query string, + and CJK included', async () => {
    const raw = { body: legacyBody(login), contentType: 'application/x-www-form-urlencoded' }
    expect(verifyLegacySignedParams(legacy, raw)).toMatchObject({
      ok: true,
      charset: 'utf-8',
      params: { user_id: '2088102000000002', real_name: '李四', token: 'tok+en/=' },
    })
    // As a trade notification it would be refused: it names no order.
    expect(verifyLegacyNotification(legacy, raw)).toMatchObject({
      ok: false,
      rejection: { code: 'WRONG_SELLER' },
    })
    const asked: string[] = []
    const verified = await verifyLegacySignedParamsWithGateway(legacy, raw, async (url) => {
      asked.push(url)
      return 'true'
    })
    expect(verified.ok).toBe(true)
    expect(asked[0]).toContain('service=notify_verify')
    expect(asked[0]).toContain('notify_id=r-1')
    expect(
      await verifyLegacySignedParamsWithGateway(legacy, raw, async () => 'false'),
    ).toMatchObject({ ok: false, rejection: { code: 'NOT_VERIFIED_BY_ALIPAY' } })
  })

  it('refuses a tampered return and one without notify_id', async () => {
    const body = legacyBody(login).toString().replace('2088102000000002', '2088102000000003')
    expect(
      verifyLegacySignedParams(legacy, { body: Buffer.from(body), contentType: undefined }),
    ).toMatchObject({ ok: false, rejection: { code: 'BAD_SIGNATURE' } })
    const { notify_id: _id, ...withoutId } = login
    expect(
      await verifyLegacySignedParamsWithGateway(
        legacy,
        { body: legacyBody(withoutId) },
        async () => 'true',
      ),
    ).toMatchObject({ ok: false, rejection: { code: 'MISSING_FIELD' } })
  })

  it('verifies an Open Platform payment return with the RSA key, and refuses another app', () => {
    const { privateKey, publicKey } = makeKeyPair()
    const app = makeKeyPair()
    const open = createOpenConfig({
      appId: '2021000000000001',
      privateKey: app.privateKey,
      alipayPublicKey: publicKey,
    })
    const fields = {
      app_id: '2021000000000001',
      method: 'alipay.trade.page.pay.return',
      out_trade_no: 'A1',
      total_amount: '1.00',
    }
    const sign = rsaSignString(
      canonicalString(fields, { exclude: [], dropEmpty: true }),
      privateKey,
    )
    const body = Buffer.from(new URLSearchParams({ ...fields, sign, sign_type: 'RSA2' }).toString())
    expect(verifyOpenSignedParams(open, { body })).toMatchObject({
      ok: true,
      params: { out_trade_no: 'A1' },
    })
    const other = createOpenConfig({
      appId: '2021000000000002',
      privateKey: app.privateKey,
      alipayPublicKey: publicKey,
    })
    expect(verifyOpenSignedParams(other, { body })).toMatchObject({
      ok: false,
      rejection: { code: 'WRONG_APP' },
    })
  })
})
