import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { AlipayInputError } from '../shared/errors.js'
import { createLegacyClient } from './client.js'
import { createLegacyConfig } from './config.js'
import { md5Verify } from './md5.js'
import { closeTrade } from './services.js'

const KEY = 'abcdefghijklmnopqrstuvwxyz012345'
const alipay = createLegacyClient({
  partner: '2088101122136241',
  key: KEY,
  gateway: 'http://127.0.0.1:4010/gateway.do',
})
const urls = {
  notify_url: 'https://shop.example/alipay/notify',
  return_url: 'https://shop.example/alipay/return',
}
const order = { out_trade_no: 'A1001', subject: '龙井茶', ...urls }
const logistics = {
  logistics_type: 'EXPRESS',
  logistics_fee: '0.00',
  logistics_payment: 'SELLER_PAY',
} as const

describe('legacy request builders', () => {
  it('builds a signed instant-payment URL that verifies', () => {
    const request = alipay.directPay({ ...order, total_fee: '0.01', token: 'tok-1' })
    const url = new URL(request.url)
    const params = Object.fromEntries(url.searchParams)
    expect(params).toMatchObject({
      service: 'create_direct_pay_by_user',
      partner: '2088101122136241',
      _input_charset: 'utf-8',
      payment_type: '1',
      seller_id: '2088101122136241',
      token: 'tok-1',
      sign_type: 'MD5',
    })
    expect(md5Verify(params, params.sign as string, KEY, 'utf-8')).toBe(true)
    expect(request.params).toEqual(params)
  })

  it('encodes the URL in GBK for a GBK shop', () => {
    const gbk = createLegacyClient({ partner: '2088101122136241', key: KEY, charset: 'GBK' })
    const request = gbk.directPay({ ...order, total_fee: '1.00' })
    const subject = request.url.match(/subject=([^&]+)/)?.[1] ?? ''
    const bytes = Buffer.from(
      subject.replace(/%([0-9A-F]{2})/g, (_m, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      ),
      'latin1',
    )
    expect(iconv.decode(bytes, 'gbk')).toBe('龙井茶')
    expect(md5Verify(request.params, request.params.sign as string, KEY, 'gbk')).toBe(true)
  })

  it('builds every service with its own parameters', () => {
    expect(
      alipay.escrowPay({ ...order, price: '10.00', quantity: '2', logistics }).params,
    ).toMatchObject({
      service: 'create_partner_trade_by_buyer',
      logistics_type: 'EXPRESS',
      logistics_fee: '0.00',
      price: '10.00',
      quantity: '2',
    })
    const dual = alipay.dualPay({
      ...order,
      price: '10.00',
      quantity: '1',
      logistics: [
        logistics,
        { logistics_type: 'EMS', logistics_fee: '20.00', logistics_payment: 'BUYER_PAY' },
      ],
    })
    expect(dual.params).toMatchObject({
      service: 'trade_create_by_buyer',
      logistics_type_1: 'EMS',
      logistics_fee_1: '20.00',
      logistics_payment_1: 'BUYER_PAY',
    })
    expect(alipay.digitalGoodsPay({ ...order, price: '5.00', quantity: '1' }).params.service).toBe(
      'create_digital_goods_trade_p',
    )
    expect(alipay.donatePay({ ...order, total_fee: '50' }).params).toMatchObject({
      service: 'create_donate_trade_p',
      payment_type: '4',
    })
    expect(alipay.quickLogin({ return_url: urls.return_url }).params).toMatchObject({
      service: 'alipay.auth.authorize',
      target_service: 'user.auth.quick.login',
    })
    expect(
      alipay.addressQuery({ token: 'tok-1', return_url: urls.return_url }).params,
    ).toMatchObject({ service: 'user.logistics.address.query', token: 'tok-1' })
    expect(alipay.queryTimestamp().params.service).toBe('query_timestamp')
    expect(alipay.tradeQuery({ out_trade_no: 'A1001' }).params.service).toBe('single_trade_query')
    const refund = alipay.refundWithPassword({
      batch_no: '20261124R0001',
      refund_date: '2026-11-24 12:00:00',
      notify_url: urls.notify_url,
      details: [{ trade_no: '2026112400001000000000000001', amount: '1.00', reason: '协商退款' }],
    })
    expect(refund.params).toMatchObject({
      service: 'refund_fastpay_by_platform_pwd',
      batch_num: '1',
      detail_data: '2026112400001000000000000001^1.00^协商退款',
    })
    expect(
      alipay.sendGoods({
        trade_no: '2026112400001000000000000001',
        logistics_name: '顺丰',
        invoice_no: 'SF1',
        transport_type: 'EXPRESS',
      }).params.service,
    ).toBe('send_goods_confirm_by_platform')
    expect(alipay.notifyVerifyUrl('n-1')).toBe(
      'http://127.0.0.1:4010/gateway.do?service=notify_verify&partner=2088101122136241&notify_id=n-1',
    )
  })

  it('renders an auto-submitting form with every value escaped', () => {
    const html = alipay
      .directPay({ ...order, subject: 'Tea "<b>&', total_fee: '0.01' })
      .toForm({ nonce: 'n0nce' })
    expect(html).toContain('action="http://127.0.0.1:4010/gateway.do?_input_charset=utf-8"')
    expect(html).toContain('value="Tea &quot;&lt;b&gt;&amp;"')
    expect(html).toContain('<script nonce="n0nce">')
    expect(html).not.toContain('<b>')
  })

  it.each([
    [
      'a return URL with its own query string',
      { ...order, return_url: 'https://shop.example/r?id=1', total_fee: '1' },
      'return_url',
      /query string/,
    ],
    [
      'a relative notify URL',
      { ...order, notify_url: '/alipay/notify', total_fee: '1' },
      'notify_url',
      /absolute http\(s\) URL/,
    ],
    [
      'an ftp URL',
      { ...order, notify_url: 'ftp://shop.example/n', total_fee: '1' },
      'notify_url',
      /http or https/,
    ],
    [
      'an amount with three decimals',
      { ...order, total_fee: '1.234' },
      'total_fee',
      /at most two decimals/,
    ],
    ['a zero amount', { ...order, total_fee: '0' }, 'total_fee', /greater than 0/],
    ['a negative amount', { ...order, total_fee: '-1' }, 'total_fee', /yuan amount/],
    ['an exponent', { ...order, total_fee: '1e3' }, 'total_fee', /no sign or exponent/],
    [
      'an empty out_trade_no',
      { ...order, out_trade_no: '', total_fee: '1' },
      'out_trade_no',
      /1–64/,
    ],
    [
      'an over-long out_trade_no',
      { ...order, out_trade_no: 'x'.repeat(65), total_fee: '1' },
      'out_trade_no',
      /1–64/,
    ],
    [
      'a camelCase parameter',
      { ...order, total_fee: '1', notifyUrl: 'x' },
      'create_direct_pay_by_user',
      /unknown parameter.*notifyUrl.*snake_case/,
    ],
    ['a missing amount', { ...order }, 'total_fee', /required/],
    [
      'a subject with a line break',
      { ...order, subject: 'a\nb', total_fee: '1' },
      'subject',
      /control characters/,
    ],
  ])('refuses %s, naming the field and the rule', (_label, input, field, rule) => {
    let error: unknown
    try {
      alipay.directPay(input as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(AlipayInputError)
    expect((error as AlipayInputError).field).toBe(field)
    expect((error as AlipayInputError).message).toMatch(rule)
  })

  it('refuses the dual interface without a logistics group', () => {
    expect(() => alipay.dualPay({ ...order, price: '1', quantity: '1', logistics: [] })).toThrow(
      /logistics: needs at least one logistics group/,
    )
    expect(() => alipay.dualPay({ ...order, price: '1', quantity: '1' } as never)).toThrow(
      /logistics: is required/,
    )
    expect(() =>
      alipay.dualPay({ ...order, price: '1', quantity: '1', logistics: [logistics, logistics] }),
    ).toThrow(/different logistics_type/)
  })

  it('checks the configuration once with fixes in the message', () => {
    expect(() => createLegacyClient({ partner: 'shop@example.com', key: KEY })).toThrow(
      /partner: that is an email/,
    )
    expect(() => createLegacyClient({ partner: ' 2088101122136241', key: KEY })).toThrow(
      /surrounding spaces/,
    )
    expect(() => createLegacyClient({ partner: '2088101122136241', key: 'short' })).toThrow(
      /32-character MD5 security code/,
    )
    expect(() =>
      createLegacyClient({ partner: '2088101122136241', key: KEY, charset: 'latin1' }),
    ).toThrow(/utf-8" or "gbk/)
    expect(() =>
      createLegacyClient({
        partner: '2088101122136241',
        key: KEY,
        gateway: 'https://x/gateway.do?a=1',
      }),
    ).toThrow(/gateway/)
  })
})

describe('close_trade', () => {
  const config = createLegacyConfig({
    partner: '2088101122136241',
    key: 'abcdefghijklmnopqrstuvwxyz012345',
  })
  it('signs a close by out_order_no and refuses a request naming no trade', () => {
    expect(closeTrade(config, { out_order_no: 'A1001' }).params).toMatchObject({
      service: 'close_trade',
      out_order_no: 'A1001',
      sign_type: 'MD5',
    })
    expect(() => closeTrade(config, {})).toThrow(/out_order_no: give out_order_no/)
  })
})
