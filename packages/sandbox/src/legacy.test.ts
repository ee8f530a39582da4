import {
  createLegacyClient,
  md5Sign,
  md5Verify,
  parseLegacyAnswer,
  verifyLegacyNotification,
  verifyLegacyNotificationWithGateway,
} from '@alipay-kit/core'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSandbox, startSandbox } from './server.js'
import { MERCHANT_SERVICES } from './simulator.js'
import { Browser } from './test-support/browser.js'
import { startMerchant } from './test-support/merchant.js'

let sandbox: RunningSandbox
let merchant: Awaited<ReturnType<typeof startMerchant>>
let alipay: ReturnType<typeof createLegacyClient>
let seq = 0
const orderNo = () => `L${Date.now()}${++seq}`

beforeAll(async () => {
  sandbox = await startSandbox()
  merchant = await startMerchant()
  alipay = createLegacyClient({
    partner: sandbox.credentials.partner,
    key: sandbox.credentials.key,
    gateway: sandbox.gatewayUrl,
  })
})
afterAll(async () => {
  await sandbox.close()
  await merchant.close()
})

const order = (extra: Record<string, string> = {}) => ({
  out_trade_no: orderNo(),
  subject: '龙井茶 a+b',
  notify_url: merchant.notifyUrl,
  return_url: merchant.returnUrl,
  ...extra,
})
const errorCode = (html: string) => /id="error-code">([^<]+)</.exec(html)?.[1]
const fetchText = async (url: string) => (await fetch(url)).text()

describe('legacy gateway: a payment from request to verified notification', () => {
  it('takes a signed instant payment through login and cashier, notifies, and answers notify_verify', async () => {
    const browser = new Browser(sandbox.url)
    const request = alipay.directPay({ ...order(), total_fee: '128.00' })
    await browser.open(request.url)
    expect(browser.html).toContain('登录支付宝')
    await browser.logIn()
    expect(browser.html).toContain('支付宝收银台')
    expect(browser.html).toContain('¥128.00')
    const cashier = /action="(\/cashier\/\d+)\/pay"/.exec(browser.html)?.[1] as string
    const before = merchant.received.length
    await browser.payAt(cashier)
    expect(browser.html).toContain('付款成功')
    await merchant.waitFor(before + 1)

    const delivered = merchant.received[before] as (typeof merchant.received)[number]
    const result = await verifyLegacyNotificationWithGateway(
      alipay.config,
      { body: delivered.body, contentType: delivered.contentType },
      fetchText,
    )
    expect(result).toMatchObject({
      ok: true,
      notification: {
        outTradeNo: request.params.out_trade_no,
        tradeStatus: 'TRADE_SUCCESS',
        amountFen: 12800,
        buyerId: '2088102000000001',
      },
    })

    // The return redirect is signed too, and its notify_id verifies once issued.
    const back = new URL(
      /id="return" href="([^"]+)"/.exec(browser.html)?.[1]?.replace(/&amp;/g, '&') as string,
    )
    const returned = Object.fromEntries(back.searchParams)
    expect(md5Verify(returned, returned.sign as string, alipay.config.key, 'utf-8')).toBe(true)
    expect(await fetchText(alipay.notifyVerifyUrl(returned.notify_id as string))).toBe('true')
    expect(await fetchText(alipay.notifyVerifyUrl('not-issued'))).toBe('false')
  })

  it('serves a GBK shop: request and notification signed over GBK bytes', async () => {
    const gbk = createLegacyClient({
      partner: sandbox.credentials.partner,
      key: sandbox.credentials.key,
      gateway: sandbox.gatewayUrl,
      charset: 'gbk',
    })
    const request = gbk.directPay({ ...order(), total_fee: '1.00' })
    const response = await fetch(request.url, { redirect: 'manual' })
    expect(response.status).toBe(302)
    const before = merchant.received.length
    await sandbox.admin.pay(request.params.out_trade_no as string)
    await merchant.waitFor(before + 1)
    const delivered = merchant.received[before] as (typeof merchant.received)[number]
    expect(delivered.contentType).toContain('GBK')
    expect(delivered.body.toString('latin1')).toContain(
      `subject=${[...iconv.encode('龙井茶', 'gbk')].map((b) => `%${b.toString(16).toUpperCase()}`).join('')}`,
    )
    expect(
      verifyLegacyNotification(gbk.config, {
        body: delivered.body,
        contentType: delivered.contentType,
      }),
    ).toMatchObject({ ok: true, notification: { params: { subject: '龙井茶 a+b' } } })
  })
})

describe('legacy gateway: every error from its cause', () => {
  const expectError = async (url: string, code: string) => {
    const response = await fetch(url, { redirect: 'manual' })
    const html = await response.text()
    expect(response.status, html.slice(0, 300)).toBe(400)
    expect(errorCode(html)).toBe(code)
  }

  it('ILLEGAL_SIGN for a wrong key, a reordered sign string, and UTF-8 bytes declared GBK', async () => {
    const wrongKey = createLegacyClient({
      partner: sandbox.credentials.partner,
      key: 'x'.repeat(32),
      gateway: sandbox.gatewayUrl,
    })
    await expectError(wrongKey.directPay({ ...order(), total_fee: '1.00' }).url, 'ILLEGAL_SIGN')

    // Signed over the parameters in insertion order instead of sorted.
    const params: Record<string, string> = {
      service: 'create_direct_pay_by_user',
      partner: sandbox.credentials.partner,
      _input_charset: 'utf-8',
      payment_type: '1',
      seller_id: sandbox.credentials.partner,
      ...order(),
      total_fee: '1.00',
    }
    const unsorted = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    const { createHash } = await import('node:crypto')
    const badSign = createHash('md5')
      .update(unsorted + sandbox.credentials.key)
      .digest('hex')
    await expectError(
      `${sandbox.gatewayUrl}?${new URLSearchParams({ ...params, sign: badSign, sign_type: 'MD5' })}`,
      'ILLEGAL_SIGN',
    )

    // Signed (and encoded) as UTF-8 but declared GBK.
    const utf8 = alipay.directPay({ ...order(), total_fee: '1.00' })
    const declaredGbk: Record<string, string> = { ...utf8.params, _input_charset: 'gbk' }
    declaredGbk.sign = md5Sign({ ...declaredGbk }, sandbox.credentials.key, 'utf-8')
    await expectError(`${sandbox.gatewayUrl}?${new URLSearchParams(declaredGbk)}`, 'ILLEGAL_SIGN')
  })

  it.each([
    [
      'ILLEGAL_PARTNER',
      () =>
        createLegacyClient({
          partner: '2088000000000001',
          key: sandbox.credentials.key,
          gateway: sandbox.gatewayUrl,
        }).directPay({ ...order(), total_fee: '1.00' }).url,
    ],
    ['ILLEGAL_SERVICE', () => alipay.sign('create_free_money', { out_trade_no: orderNo() }).url],
    [
      'ILLEGAL_ARGUMENT',
      () =>
        alipay.sign('create_direct_pay_by_user', {
          payment_type: '1',
          seller_id: sandbox.credentials.partner,
          out_trade_no: orderNo(),
          total_fee: '1.00',
        }).url,
    ],
    [
      'ILLEGAL_FEE_PARAM',
      () =>
        alipay.sign('create_direct_pay_by_user', {
          payment_type: '1',
          seller_id: sandbox.credentials.partner,
          ...order(),
          total_fee: '1.234',
        }).url,
    ],
    [
      'SELLER_NOT_EXIST',
      () =>
        alipay.sign('create_direct_pay_by_user', {
          payment_type: '1',
          seller_id: '2088000000000009',
          ...order(),
          total_fee: '1.00',
        }).url,
    ],
    [
      'ILLEGAL_LOGISTICS_FORMAT',
      () =>
        alipay.sign('trade_create_by_buyer', {
          payment_type: '1',
          seller_id: sandbox.credentials.partner,
          ...order(),
          price: '1.00',
          quantity: '1',
        }).url,
    ],
    [
      'ILLEGAL_SIGN_TYPE',
      () =>
        alipay
          .directPay({ ...order(), total_fee: '1.00' })
          .url.replace('sign_type=MD5', 'sign_type=RSA'),
    ],
  ])('%s', async (code, makeUrl) => {
    await expectError(makeUrl(), code)
  })

  it('TRADE_DATA_MATCH_ERROR and TRADE_NOT_ALLOWED_PAY for a reused out_trade_no', async () => {
    const first = alipay.directPay({ ...order(), total_fee: '1.00' })
    expect((await fetch(first.url, { redirect: 'manual' })).status).toBe(302)
    const no = first.params.out_trade_no as string
    await expectError(
      alipay.directPay({ ...order({ out_trade_no: no }), total_fee: '2.00' }).url,
      'TRADE_DATA_MATCH_ERROR',
    )
    await sandbox.admin.pay(no)
    await expectError(first.url, 'TRADE_NOT_ALLOWED_PAY')
  })

  it('HAS_NO_PRIVILEGE, ILLEGAL_ANTI_PHISHING_KEY and ILLEGAL_EXTER_INVOKE_IP from the merchant settings', async () => {
    await sandbox.admin.settings({ contract: ['create_direct_pay_by_user', 'query_timestamp'] })
    await expectError(
      alipay.escrowPay({
        ...order(),
        price: '1.00',
        quantity: '1',
        logistics: {
          logistics_type: 'EXPRESS',
          logistics_fee: '0.00',
          logistics_payment: 'SELLER_PAY',
        },
      }).url,
      'HAS_NO_PRIVILEGE',
    )
    await sandbox.admin.settings({ antiPhishing: true })
    try {
      await expectError(
        alipay.directPay({ ...order(), total_fee: '1.00' }).url,
        'ILLEGAL_ANTI_PHISHING_KEY',
      )
      const answer = alipay.parseAnswer(await fetchText(alipay.queryTimestamp().url))
      expect(answer).toMatchObject({ success: true, signatureValid: true })
      const key = answer.fields.encrypt_key as string
      await expectError(
        alipay.directPay({
          ...order(),
          total_fee: '1.00',
          anti_phishing_key: key,
          exter_invoke_ip: '10.1.2.3',
        }).url,
        'ILLEGAL_EXTER_INVOKE_IP',
      )
      const ok = await fetch(
        alipay.directPay({
          ...order(),
          total_fee: '1.00',
          anti_phishing_key: key,
          exter_invoke_ip: '127.0.0.1',
        }).url,
        { redirect: 'manual' },
      )
      expect(ok.status).toBe(302)
    } finally {
      await sandbox.admin.settings({
        antiPhishing: false,
        contract: [...MERCHANT_SERVICES],
      })
    }
  })

  it('BUYER_SELLER_EQUAL when the seller logs in to pay its own trade', async () => {
    const browser = new Browser(sandbox.url)
    await browser.open(alipay.directPay({ ...order(), total_fee: '1.00' }).url)
    await browser.logIn(sandbox.credentials.partner)
    expect(errorCode(browser.html)).toBe('BUYER_SELLER_EQUAL')
  })

  it('a wrong password stays on the login page with an alert', async () => {
    const browser = new Browser(sandbox.url)
    await browser.open(alipay.directPay({ ...order(), total_fee: '1.00' }).url)
    await browser.logIn('2088102000000001', 'wrong')
    expect(browser.status).toBe(401)
    expect(browser.html).toContain('role="alert"')
    // The field and the error name the same password: this is a login, not a payment.
    expect(browser.html).toContain('<label for="password">登录密码 Login password')
    expect(browser.html).toContain('账户名或登录密码不正确 · Wrong account name or login password')
    expect(browser.html).not.toContain('支付密码')
  })
})

describe('legacy gateway: quick login, addresses, token', () => {
  it('logs in, hands back a signed user and a token that skips the login at the cashier and at the address book', async () => {
    const browser = new Browser(sandbox.url)
    await browser.open(alipay.quickLogin({ return_url: merchant.returnUrl }).url)
    const { leftTo } = await browser.logIn('2088102000000002')
    // No "login succeeded" page: straight back to the merchant's return_url.
    expect(leftTo?.startsWith(merchant.returnUrl)).toBe(true)
    const answer = Object.fromEntries(new URL(leftTo as string).searchParams)
    expect(answer).toMatchObject({
      is_success: 'T',
      user_id: '2088102000000002',
      real_name: '李四',
    })
    expect(md5Verify(answer, answer.sign as string, alipay.config.key, 'utf-8')).toBe(true)

    const fresh = new Browser(sandbox.url)
    await fresh.open(
      alipay.directPay({ ...order(), total_fee: '3.00', token: answer.token as string }).url,
    )
    expect(fresh.html).toContain('支付宝收银台')
    expect(fresh.html).toContain('李四')

    const addressBrowser = new Browser(sandbox.url)
    await addressBrowser.open(
      alipay.addressQuery({ token: answer.token as string, return_url: merchant.returnUrl }).url,
    )
    expect(addressBrowser.html).toContain('延边朝鲜族自治州')
    const id = /action="\/addresses\/([^"]+)"/.exec(addressBrowser.html)?.[1] as string
    await addressBrowser.post(`/addresses/${id}`, { index: '0' })
    const fields = Object.fromEntries(
      [...addressBrowser.html.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [
        m[1],
        (m[2] as string)
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"'),
      ]),
    )
    expect(fields.receive_address).toContain(
      '<prov>吉林省</prov><city>延边朝鲜族自治州</city><area>延吉市</area>',
    )
    expect(md5Verify(fields, fields.sign as string, alipay.config.key, 'utf-8')).toBe(true)
  })
})

describe('legacy gateway: statuses, queries, shipping and refunds', () => {
  it('notifies every trade and refund status of an escrow trade with a refused, then returned refund', async () => {
    const request = alipay.escrowPay({
      ...order(),
      price: '50.00',
      quantity: '2',
      logistics: {
        logistics_type: 'EXPRESS',
        logistics_fee: '10.00',
        logistics_payment: 'BUYER_PAY',
      },
    })
    const no = request.params.out_trade_no as string
    await fetch(request.url, { redirect: 'manual' })
    await sandbox.admin.pay(no)
    const answer = alipay.parseAnswer(
      await fetchText(
        alipay.sendGoods({
          trade_no: (await sandbox.admin.trade(no)).trade.tradeNo,
          logistics_name: '顺丰',
          transport_type: 'EXPRESS',
        }).url,
      ),
    )
    expect(answer).toMatchObject({ success: true, signatureValid: true })
    for (const action of [
      'request_refund',
      'refuse_refund',
      'request_refund',
      'agree_refund',
      'return_goods',
      'confirm_return',
    ] as const)
      await sandbox.admin.act(no, action)
    const { deliveries, trade } = await sandbox.admin.trade(no)
    expect(trade).toMatchObject({
      totalAmount: '110.00',
      tradeStatus: 'TRADE_CLOSED',
      refundStatus: 'REFUND_SUCCESS',
    })
    expect(deliveries.map((d) => [d.params.trade_status, d.params.refund_status ?? '-'])).toEqual([
      ['WAIT_BUYER_PAY', '-'],
      ['WAIT_SELLER_SEND_GOODS', '-'],
      ['WAIT_BUYER_CONFIRM_GOODS', '-'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_AGREE'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'SELLER_REFUSE_BUYER'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_AGREE'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'WAIT_BUYER_RETURN_GOODS'],
      ['WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_CONFIRM_GOODS'],
      ['TRADE_CLOSED', 'REFUND_SUCCESS'],
    ])
  })

  it('notifies TRADE_FINISHED after receipt, REFUND_CLOSED, and the dual interface’s instant choice', async () => {
    const escrow = alipay.escrowPay({
      ...order(),
      price: '5.00',
      quantity: '1',
      logistics: { logistics_type: 'POST', logistics_fee: '0.00', logistics_payment: 'SELLER_PAY' },
    })
    const no = escrow.params.out_trade_no as string
    await fetch(escrow.url, { redirect: 'manual' })
    await sandbox.admin.pay(no)
    for (const action of ['request_refund', 'cancel_refund', 'ship', 'confirm'] as const)
      await sandbox.admin.act(no, action)
    const statuses = (await sandbox.admin.trade(no)).deliveries.map(
      (d) => `${d.params.trade_status}/${d.params.refund_status ?? '-'}`,
    )
    expect(statuses).toContain('WAIT_SELLER_SEND_GOODS/REFUND_CLOSED')
    expect(statuses.at(-1)).toBe('TRADE_FINISHED/REFUND_CLOSED')

    const dual = alipay.dualPay({
      ...order(),
      price: '8.00',
      quantity: '1',
      logistics: [
        { logistics_type: 'EMS', logistics_fee: '0.00', logistics_payment: 'SELLER_PAY' },
      ],
    })
    await fetch(dual.url, { redirect: 'manual' })
    await sandbox.admin.pay(dual.params.out_trade_no as string, { choice: 'instant' })
    const dualStatuses = (
      await sandbox.admin.trade(dual.params.out_trade_no as string)
    ).deliveries.map((d) => d.params.trade_status)
    expect(dualStatuses).toEqual(['WAIT_BUYER_PAY', 'TRADE_FINISHED'])

    const unpaid = alipay.digitalGoodsPay({ ...order(), price: '1.00', quantity: '1' })
    await fetch(unpaid.url, { redirect: 'manual' })
    await sandbox.admin.act(unpaid.params.out_trade_no as string, 'close')
    expect(
      (await sandbox.admin.trade(unpaid.params.out_trade_no as string)).deliveries.map(
        (d) => d.params.trade_status,
      ),
    ).toEqual(['TRADE_CLOSED'])
  })

  it('answers single_trade_query and refunds without password, signed', async () => {
    const request = alipay.donatePay({ ...order(), total_fee: '20.00' })
    await fetch(request.url, { redirect: 'manual' })
    const no = request.params.out_trade_no as string
    await sandbox.admin.pay(no)
    const query = alipay.parseAnswer(await fetchText(alipay.tradeQuery({ out_trade_no: no }).url))
    expect(query).toMatchObject({
      success: true,
      signatureValid: true,
      fields: { trade_status: 'TRADE_SUCCESS', total_fee: '20.00' },
    })
    const tradeNo = query.fields.trade_no as string
    const refund = (amount: string) =>
      alipay.refundWithoutPassword({
        batch_no: `20261124${orderNo()}`.slice(0, 30),
        refund_date: '2026-11-24 12:00:00',
        notify_url: merchant.notifyUrl,
        details: [{ trade_no: tradeNo, amount, reason: 'test' }],
      })
    // Accepted as a batch, refunded or refused line by line: the result comes to the batch's
    // notify_url as batch_refund_notify; the trade's own notify_url hears its new status.
    expect(parseLegacyAnswer(alipay.config, await fetchText(refund('5.00').url)).success).toBe(true)
    expect(parseLegacyAnswer(alipay.config, await fetchText(refund('30.00').url)).success).toBe(
      true,
    )
    expect(parseLegacyAnswer(alipay.config, await fetchText(refund('15.00').url)).success).toBe(
      true,
    )
    const deliveries = (await sandbox.admin.trade(no)).deliveries
    const trade = deliveries.filter((d) => d.params.notify_type === 'trade_status_sync')
    expect(trade.map((d) => `${d.params.trade_status}/${d.params.refund_status ?? '-'}`)).toEqual([
      'TRADE_SUCCESS/-',
      'TRADE_SUCCESS/REFUND_SUCCESS',
      'TRADE_CLOSED/REFUND_SUCCESS',
    ])
    // A trade notification names no refund amount; gmt_refund says when.
    expect(trade[1]?.params.refund_fee).toBeUndefined()
    expect(trade[1]?.params.gmt_refund).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    const batches = deliveries.filter((d) => d.params.notify_type === 'batch_refund_notify')
    expect(batches.map((d) => [d.params.success_num, d.params.result_details])).toEqual([
      ['1', `${tradeNo}^5.00^SUCCESS`],
      ['0', `${tradeNo}^30.00^REASON_TRADE_REFUND_FEE_ERR`],
      ['1', `${tradeNo}^15.00^SUCCESS`],
    ])
    expect(
      batches.every((d) => d.params.seller_id === undefined && d.params.out_trade_no === undefined),
    ).toBe(true)
    // The batch's own form errors come back at once, with the batch refund's codes.
    const again = alipay.refundWithoutPassword({
      batch_no: batches[0]?.params.batch_no as string,
      refund_date: '2026-11-24 12:00:00',
      notify_url: merchant.notifyUrl,
      details: [{ trade_no: tradeNo, amount: '1.00', reason: 'test' }],
    })
    expect(parseLegacyAnswer(alipay.config, await fetchText(again.url))).toMatchObject({
      success: false,
      error: 'DUPLICATE_BATCH_NO',
    })
    expect(
      alipay.parseAnswer(await fetchText(alipay.tradeQuery({ out_trade_no: 'NOPE' }).url)),
    ).toMatchObject({ success: false, error: 'TRADE_NOT_EXIST' })
  })

  it('closes an unpaid trade with close_trade (notified), and refuses to close a paid one', async () => {
    const unpaid = alipay.directPay({ ...order(), total_fee: '2.00' })
    await fetch(unpaid.url, { redirect: 'manual' })
    const no = unpaid.params.out_trade_no as string
    expect(
      alipay.parseAnswer(await fetchText(alipay.closeTrade({ out_order_no: no }).url)).success,
    ).toBe(true)
    expect((await sandbox.admin.trade(no)).deliveries.map((d) => d.params.trade_status)).toEqual([
      'TRADE_CLOSED',
    ])
    expect(
      alipay.parseAnswer(await fetchText(alipay.closeTrade({ out_order_no: no }).url)),
    ).toMatchObject({ success: false, error: 'TRADE_STATUS_NOT_AVAILD' })
  })
})
