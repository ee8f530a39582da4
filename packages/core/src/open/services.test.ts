import { describe, expect, it } from 'vitest'
import { AlipayResponseError } from '../shared/errors.js'
import { makeKeyPair } from '../test-support/keys.js'
import { createOpenClient } from './client.js'
import { createOpenConfig } from './config.js'
import { openSignString, rsaSignString, rsaVerifyString } from './rsa.js'
import { oauthAuthorizeUrl } from './services.js'

const app = makeKeyPair()
const alipay = makeKeyPair()
const client = createOpenClient({
  appId: '2021000000000001',
  privateKey: app.pkcs1Pem,
  alipayPublicKey: alipay.spkiPem,
  gateway: 'http://127.0.0.1:4010/gateway.do',
})
const callbacks = {
  notifyUrl: 'https://shop.example/alipay/notify',
  returnUrl: 'https://shop.example/alipay/return',
}

describe('Open Platform builders', () => {
  it('signs page pay with the common parameters and biz_content exactly as given', () => {
    const biz = {
      out_trade_no: 'A1',
      total_amount: '0.01',
      subject: '茶',
      goods_detail: [{ goods_id: 'g1', goodsName: 'keep-my-case' }],
    }
    const request = client.pagePay(biz, { ...callbacks, now: new Date('2026-11-24T16:00:00Z') })
    expect(request.params).toMatchObject({
      app_id: '2021000000000001',
      method: 'alipay.trade.page.pay',
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      version: '1.0',
      timestamp: '2026-11-25 00:00:00',
      notify_url: callbacks.notifyUrl,
    })
    // Never re-cased: goodsName stays goodsName, and product_code is added.
    expect(JSON.parse(request.params.biz_content as string)).toEqual({
      ...biz,
      product_code: 'FAST_INSTANT_TRADE_PAY',
    })
    const { sign, ...unsigned } = request.params
    expect(rsaVerifyString(openSignString(unsigned), sign as string, app.publicKey)).toBe(true)
    expect(request.url.startsWith('http://127.0.0.1:4010/gateway.do?')).toBe(true)
    expect(request.toForm()).toContain('name="biz_content"')
  })

  it('sends a string biz_content verbatim', () => {
    const raw = '{"out_trade_no":"A1",  "extra":"  spaced  "}'
    expect(client.tradeQuery({ out_trade_no: 'A1' }).params.method).toBe('alipay.trade.query')
    expect(client.sign('alipay.trade.query', { bizContent: raw }).params.biz_content).toBe(raw)
  })

  it('builds the other methods', () => {
    expect(
      JSON.parse(
        client.wapPay({ out_trade_no: 'A1', total_amount: '1', subject: 's' }, callbacks).params
          .biz_content as string,
      ).product_code,
    ).toBe('QUICK_WAP_WAY')
    const orderString = client.appPayOrderString(
      { out_trade_no: 'A1', total_amount: '1', subject: 's' },
      { notifyUrl: callbacks.notifyUrl },
    )
    expect(new URLSearchParams(orderString).get('method')).toBe('alipay.trade.app.pay')
    expect(
      client.tradeRefund({ out_trade_no: 'A1', refund_amount: '0.50', out_request_no: 'R1' }).params
        .method,
    ).toBe('alipay.trade.refund')
    expect(client.refundQuery({ out_trade_no: 'A1', out_request_no: 'R1' }).params.method).toBe(
      'alipay.trade.fastpay.refund.query',
    )
    expect(client.tradeClose({ trade_no: '2026' }).params.method).toBe('alipay.trade.close')
    expect(client.oauthToken({ code: 'auth-code-1' }).params).toMatchObject({
      grant_type: 'authorization_code',
      code: 'auth-code-1',
    })
    expect(client.userInfoShare('token-1').params.auth_token).toBe('token-1')
  })

  it('refuses bad input naming the field', () => {
    expect(() =>
      client.pagePay({ out_trade_no: 'A1', total_amount: '0.001', subject: 's' }, callbacks),
    ).toThrow(/total_amount: .*two decimals/)
    expect(() =>
      client.pagePay(
        { out_trade_no: 'A1', total_amount: '1', subject: 's' },
        { notifyUrl: 'https://x/n?a=1' },
      ),
    ).toThrow(/notify_url: must not carry a query string/)
    expect(() => client.tradeQuery({})).toThrow(/out_trade_no: give out_trade_no or trade_no/)
    expect(() => client.tradeRefund({ out_trade_no: 'A1', refund_amount: '1e2' })).toThrow(
      /refund_amount/,
    )
  })
})

describe('page pay with its QR code in the merchant’s page (docs/protocol.md, "QR code")', () => {
  it('passes qr_pay_mode and qrcode_width, and refuses them wrong, naming the field', () => {
    const biz = { out_trade_no: 'A1', total_amount: '1.00', subject: 's' }
    const sent = (extra: object) =>
      JSON.parse(client.pagePay({ ...biz, ...extra }, callbacks).params.biz_content as string)
    expect(sent({ qr_pay_mode: '4', qrcode_width: 200 })).toMatchObject({
      qr_pay_mode: '4',
      qrcode_width: 200,
    })
    expect(sent({ qr_pay_mode: '1' }).qr_pay_mode).toBe('1')
    expect(() => client.pagePay({ ...biz, qr_pay_mode: '5' as '4' }, callbacks)).toThrow(
      /qr_pay_mode: must be "0", "1", "2", "3" or "4"/,
    )
    expect(() => client.pagePay({ ...biz, qr_pay_mode: '4' }, callbacks)).toThrow(
      /qrcode_width: is required with qr_pay_mode "4"/,
    )
    expect(() =>
      client.pagePay({ ...biz, qr_pay_mode: '1', qrcode_width: 200 }, callbacks),
    ).toThrow(/qrcode_width: applies only with qr_pay_mode "4"/)
    expect(() =>
      client.pagePay({ ...biz, qr_pay_mode: '4', qrcode_width: 2.5 }, callbacks),
    ).toThrow(/qrcode_width/)
  })
})

describe('alipay.trade.precreate (docs/protocol.md, "QR code")', () => {
  it('asks for a QR code with the 当面付 product code and the expiry given', () => {
    const request = client.precreate(
      { out_trade_no: 'Q1', total_amount: '12.50', subject: '茶', qr_code_timeout_express: '15m' },
      { notifyUrl: callbacks.notifyUrl },
    )
    expect(request.params).toMatchObject({
      method: 'alipay.trade.precreate',
      notify_url: callbacks.notifyUrl,
    })
    expect(request.params.return_url).toBeUndefined() // the buyer never leaves the page
    expect(JSON.parse(request.params.biz_content as string)).toEqual({
      out_trade_no: 'Q1',
      total_amount: '12.50',
      subject: '茶',
      qr_code_timeout_express: '15m',
      product_code: 'FACE_TO_FACE_PAYMENT',
    })
    const { sign, ...unsigned } = request.params
    expect(rsaVerifyString(openSignString(unsigned), sign as string, app.publicKey)).toBe(true)
  })

  it.each(['1.5h', '0m', '90s', '2w', ''])(
    'refuses the relative expiry %j, naming the field',
    (expiry) => {
      expect(() =>
        client.precreate(
          {
            out_trade_no: 'Q1',
            total_amount: '1.00',
            subject: '茶',
            qr_code_timeout_express: expiry,
          },
          { notifyUrl: callbacks.notifyUrl },
        ),
      ).toThrow(/qr_code_timeout_express: must be a relative time like "15m"/)
    },
  )
})

describe('verifyOpenResponse', () => {
  const signBody = (
    key: typeof alipay.privateKey,
    inner: string,
    name = 'alipay_trade_query_response',
  ) => `{"${name}":${inner},"sign":"${rsaSignString(inner, key)}"}`
  // Spacing, key order and escapes a re-serialisation would change: the signature covers these exact bytes.
  const inner =
    '{"code":"10000","msg":"Success","out_trade_no":"A1","trade_status":"TRADE_SUCCESS","total_amount":"88.80","subject":"\\u8336 a\\/b",  "buyer_logon_id":"159****5620"}'

  it('verifies over the exact bytes of the *_response value', () => {
    const result = client.verifyResponse('alipay.trade.query', signBody(alipay.privateKey, inner))
    expect(result).toMatchObject({
      verified: true,
      success: true,
      code: '10000',
      data: { trade_status: 'TRADE_SUCCESS', subject: '茶 a/b' },
    })
    // The same content re-serialised does not verify: proof the exact bytes were used.
    const reserialised = JSON.stringify(JSON.parse(inner))
    expect(() =>
      client.verifyResponse(
        'alipay.trade.query',
        `{"alipay_trade_query_response":${reserialised},"sign":"${rsaSignString(inner, alipay.privateKey)}"}`,
      ),
    ).toThrow(AlipayResponseError)
  })

  it('handles the sign placed first and an alipay_cert_sn member', () => {
    const body = `{"sign":"${rsaSignString(inner, alipay.privateKey)}","alipay_cert_sn":"abc","alipay_trade_query_response":${inner}}`
    expect(client.verifyResponse('alipay.trade.query', body).verified).toBe(true)
  })

  it('reports unsigned error answers as unverified errors, and refuses an unsigned success', () => {
    const error = client.verifyResponse(
      'alipay.trade.query',
      '{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id","sub_msg":"无效的AppID参数"}}',
    )
    expect(error).toMatchObject({ verified: false, success: false, subCode: 'isv.invalid-app-id' })
    expect(() =>
      client.verifyResponse('alipay.trade.query', `{"alipay_trade_query_response":${inner}}`),
    ).toThrow(/not signed/)
  })

  it("refuses an answer signed with the app's key, or for another method", () => {
    expect(() =>
      client.verifyResponse('alipay.trade.query', signBody(app.privateKey, inner)),
    ).toThrow(/not the app's/)
    expect(() =>
      client.verifyResponse('alipay.trade.refund', signBody(alipay.privateKey, inner)),
    ).toThrow(/no "alipay_trade_refund_response"/)
    expect(() => client.verifyResponse('alipay.trade.query', '<html>502</html>')).toThrow(
      /not a JSON object/,
    )
  })
})

describe('oauthAuthorizeUrl', () => {
  it('sends the buyer to the authorize page with app_id, scope, redirect_uri and state', () => {
    const config = createOpenConfig({
      appId: '2021000000000001',
      privateKey: app.privateKey,
      alipayPublicKey: app.publicKey,
      authorizeUrl: 'http://127.0.0.1:4010/oauth2/publicAppAuthorize.htm',
    })
    const url = new URL(
      oauthAuthorizeUrl(config, {
        redirect_uri: 'https://shop.example/alipay/oauth/return',
        state: 'abcdefgh12345678',
      }),
    )
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:4010/oauth2/publicAppAuthorize.htm')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      app_id: '2021000000000001',
      scope: 'auth_user',
      redirect_uri: 'https://shop.example/alipay/oauth/return',
      state: 'abcdefgh12345678',
    })
    expect(() =>
      oauthAuthorizeUrl(config, { redirect_uri: 'https://shop.example/r', state: 'x' }),
    ).toThrow(/state: must be 8–128/)
  })
})
