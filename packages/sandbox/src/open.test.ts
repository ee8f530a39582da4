import { createPublicKey, createVerify } from 'node:crypto'
import {
  AlipayResponseError,
  createOpenClient,
  type OpenClient,
  type OpenRequest,
  rsaSignParams,
  verifyOpenNotification,
  verifyOpenResponse,
} from '@alipay-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from './clock.js'
import { type RunningSandbox, startSandbox } from './server.js'
import { Browser } from './test-support/browser.js'
import { startMerchant } from './test-support/merchant.js'

let sandbox: RunningSandbox
let merchant: Awaited<ReturnType<typeof startMerchant>>
let alipay: OpenClient
let seq = 0
const orderNo = () => `O${Date.now()}${++seq}`

beforeAll(async () => {
  sandbox = await startSandbox()
  merchant = await startMerchant()
  alipay = createOpenClient({
    appId: sandbox.credentials.appId,
    privateKey: sandbox.credentials.appPrivateKey,
    alipayPublicKey: sandbox.credentials.alipayPublicKey,
    gateway: sandbox.gatewayUrl,
    sellerId: sandbox.credentials.partner,
  })
})
afterAll(async () => {
  await sandbox.close()
  await merchant.close()
})

/** POSTs a signed request to the gateway, as a server would, and returns the answer's text. */
async function post(request: OpenRequest): Promise<string> {
  const response = await fetch(sandbox.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: request.body,
  })
  expect(response.headers.get('content-type')).toContain('application/json')
  return response.text()
}

async function call(request: OpenRequest) {
  return alipay.verifyResponse(request.method, await post(request))
}

const pay = (no: string, amount = '0.01') =>
  alipay.pagePay(
    { out_trade_no: no, total_amount: amount, subject: '龙井茶 a+b' },
    { notifyUrl: merchant.notifyUrl, returnUrl: merchant.returnUrl },
  )

/** Opens the pay URL (creating the trade) and pays as the default buyer through the admin API. */
async function paid(no: string, amount = '0.01') {
  expect((await fetch(pay(no, amount).url, { redirect: 'manual' })).status).toBe(302)
  const before = merchant.received.length
  await sandbox.admin.pay(no)
  await merchant.waitFor(before + 1)
  return merchant.received[before] as (typeof merchant.received)[number]
}

describe('Open Platform: a QR code (alipay.trade.precreate)', () => {
  const precreate = (no: string, expiry?: string) =>
    alipay.precreate(
      {
        out_trade_no: no,
        total_amount: '6.60',
        subject: '扫码 a+b',
        ...(expiry ? { qr_code_timeout_express: expiry } : {}),
      },
      { notifyUrl: merchant.notifyUrl },
    )

  it('answers a signed qr_code (the SDK’s AlipayTradePrecreateResponse fields); scanning it pays the trade', async () => {
    const no = orderNo()
    const answer = await call(precreate(no, '5m'))
    expect(answer).toMatchObject({ verified: true, success: true, code: '10000' })
    expect(Object.keys(answer.data)).toEqual(['code', 'msg', 'out_trade_no', 'qr_code'])
    expect(answer.data.out_trade_no).toBe(no)
    const qrCode = answer.data.qr_code as string
    expect(qrCode.startsWith(`${sandbox.url}/qr/`)).toBe(true)
    // A second precreate of the same unpaid order is the same trade, with a new code.
    const again = await call(precreate(no, '5m'))
    expect(again.data.qr_code).not.toBe(qrCode)
    expect((await sandbox.admin.trades()).filter((t) => t.outTradeNo === no)).toHaveLength(1)

    const browser = new Browser(sandbox.url)
    await browser.open(qrCode)
    await browser.logIn('2088102000000003')
    const cashier = /action="(\/cashier\/\d+)\/pay"/.exec(browser.html)?.[1] as string
    const before = merchant.received.length
    await browser.payAt(cashier)
    await merchant.waitFor(before + 1)
    const delivered = merchant.received[before] as (typeof merchant.received)[number]
    expect(
      verifyOpenNotification(alipay.config, {
        body: delivered.body,
        contentType: delivered.contentType,
      }),
    ).toMatchObject({ ok: true, notification: { outTradeNo: no, tradeStatus: 'TRADE_SUCCESS' } })
    // Paid: a new precreate for it is refused as Alipay refuses it.
    const paidAnswer = await call(precreate(no, '5m'))
    expect(paidAnswer).toMatchObject({ success: false, subCode: 'ACQ.TRADE_HAS_SUCCESS' })
  })

  it('an expired code shows an error page and pays nothing', async () => {
    const clock = new ManualClock(Date.now())
    const own = await startSandbox({ clock, credentials: sandbox.credentials })
    try {
      const request = alipay.sign('alipay.trade.precreate', {
        bizContent: {
          out_trade_no: orderNo(),
          total_amount: '1.00',
          subject: '茶',
          qr_code_timeout_express: '3h',
        },
        notifyUrl: merchant.notifyUrl,
      })
      const text = await (
        await fetch(own.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
          body: request.body,
        })
      ).text()
      const qrCode = alipay.verifyResponse(request.method, text).data.qr_code as string
      clock.advance(2 * 3600_000 + 1_000) // Alipay caps a code at two hours, whatever was asked
      const page = await fetch(qrCode, { redirect: 'manual' })
      expect(page.status).toBe(404)
      expect(await page.text()).toContain('二维码已过期')
    } finally {
      await own.close()
    }
  })
})

describe('Open Platform: page and wap pay through the cashier', () => {
  it('page pay: login, cashier, a verified TRADE_SUCCESS notification and a signed return', async () => {
    const no = orderNo()
    const browser = new Browser(sandbox.url)
    await browser.open(pay(no, '88.80').url)
    expect(browser.html).toContain('登录支付宝')
    await browser.logIn('2088102000000003')
    expect(browser.html).toContain('支付宝收银台')
    expect(browser.html).toContain('¥88.80')
    const cashier = /action="(\/cashier\/\d+)\/pay"/.exec(browser.html)?.[1] as string
    const before = merchant.received.length
    await browser.payAt(cashier)
    await merchant.waitFor(before + 1)
    const delivered = merchant.received[before] as (typeof merchant.received)[number]
    const result = verifyOpenNotification(alipay.config, {
      body: delivered.body,
      contentType: delivered.contentType,
    })
    expect(result).toMatchObject({
      ok: true,
      notification: {
        gateway: 'open',
        outTradeNo: no,
        tradeStatus: 'TRADE_SUCCESS',
        amountFen: 8880,
        buyerId: '2088102000000003',
        appId: sandbox.credentials.appId,
        params: { subject: '龙井茶 a+b' },
      },
    })

    const back = new URL(
      /id="return" href="([^"]+)"/.exec(browser.html)?.[1]?.replace(/&amp;/g, '&') as string,
    )
    const fields = Object.fromEntries(back.searchParams)
    expect(fields).toMatchObject({ out_trade_no: no, total_amount: '88.80' })
    const { sign, sign_type: _type, ...signed } = fields
    const text = Object.keys(signed)
      .sort()
      .map((k) => `${k}=${signed[k]}`)
      .join('&')
    expect(
      createVerify('RSA-SHA256')
        .update(text)
        .verify(createPublicKey(sandbox.credentials.alipayPublicKey), sign as string, 'base64'),
    ).toBe(true)
  })

  it('wap pay leads to the same cashier; paying a paid trade again is ACQ.TRADE_HAS_SUCCESS', async () => {
    const no = orderNo()
    const wap = alipay.wapPay(
      { out_trade_no: no, total_amount: '2.00', subject: 'H5' },
      { notifyUrl: merchant.notifyUrl },
    )
    const response = await fetch(wap.url, { redirect: 'manual' })
    expect(response.headers.get('location')).toMatch(/^\/cashier\/\d+$/)
    await sandbox.admin.pay(no)
    const again = await fetch(wap.url, { redirect: 'manual' })
    expect(again.status).toBe(400)
    expect(await again.text()).toContain('ACQ.TRADE_HAS_SUCCESS')
  })
})

describe('Open Platform: API methods answer signed JSON', () => {
  it('query, refund (partial, repeated, too much), refund query, then closed by the full refund', async () => {
    const no = orderNo()
    await paid(no, '10.00')
    const query = await call(alipay.tradeQuery({ out_trade_no: no }))
    expect(query).toMatchObject({
      verified: true,
      success: true,
      data: { trade_status: 'TRADE_SUCCESS', total_amount: '10.00' },
    })

    const partial = { out_trade_no: no, refund_amount: '3.00', out_request_no: 'R1' }
    expect(await call(alipay.tradeRefund(partial))).toMatchObject({
      success: true,
      data: { fund_change: 'Y', refund_fee: '3.00' },
    })
    // The same out_request_no again is idempotent: no second refund.
    expect(await call(alipay.tradeRefund(partial))).toMatchObject({
      data: { fund_change: 'N', refund_fee: '3.00' },
    })
    expect(
      await call(
        alipay.tradeRefund({ out_trade_no: no, refund_amount: '8.00', out_request_no: 'R2' }),
      ),
    ).toMatchObject({ success: false, subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' })
    expect(
      await call(alipay.refundQuery({ out_trade_no: no, out_request_no: 'R1' })),
    ).toMatchObject({ data: { refund_amount: '3.00', refund_status: 'REFUND_SUCCESS' } })
    await call(
      alipay.tradeRefund({ out_trade_no: no, refund_amount: '7.00', out_request_no: 'R2' }),
    )
    expect((await call(alipay.tradeQuery({ out_trade_no: no }))).data.trade_status).toBe(
      'TRADE_CLOSED',
    )
    const { deliveries } = await sandbox.admin.trade(no)
    expect(
      deliveries.map((d) => [d.params.trade_status, d.params.refund_fee, d.params.out_biz_no]),
    ).toEqual([
      ['TRADE_SUCCESS', undefined, undefined],
      ['TRADE_SUCCESS', '3.00', 'R1'],
      ['TRADE_CLOSED', '10.00', 'R2'],
    ])
  })

  it('close: an unpaid trade closes (and is notified); a paid one answers ACQ.TRADE_HAS_SUCCESS', async () => {
    const open = orderNo()
    await fetch(pay(open).url, { redirect: 'manual' })
    expect(await call(alipay.tradeClose({ out_trade_no: open }))).toMatchObject({ success: true })
    expect(await call(alipay.tradeClose({ out_trade_no: open }))).toMatchObject({
      subCode: 'ACQ.TRADE_HAS_CLOSE',
    })
    expect((await sandbox.admin.trade(open)).deliveries.map((d) => d.params.trade_status)).toEqual([
      'TRADE_CLOSED',
    ])
    const paidNo = orderNo()
    await paid(paidNo)
    expect(await call(alipay.tradeClose({ out_trade_no: paidNo }))).toMatchObject({
      success: false,
      subCode: 'ACQ.TRADE_HAS_SUCCESS',
    })
  })

  it('ACQ.TRADE_NOT_EXIST for an unknown trade', async () => {
    expect(await call(alipay.tradeQuery({ out_trade_no: 'NOPE-1' }))).toMatchObject({
      verified: true,
      success: false,
      code: '40004',
      subCode: 'ACQ.TRADE_NOT_EXIST',
    })
  })

  it('OAuth login: authorize page → auth_code → access token → user info', async () => {
    const browser = new Browser(sandbox.url)
    const redirect = 'http://127.0.0.1:9/alipay/oauth/return'
    await browser.open(
      `/oauth2/publicAppAuthorize.htm?app_id=${sandbox.credentials.appId}&scope=auth_user&state=s1&redirect_uri=${encodeURIComponent(redirect)}`,
    )
    const { leftTo } = await browser.logIn('2088102000000002')
    const back = new URL(leftTo as string)
    expect(back.origin + back.pathname).toBe(redirect)
    expect(back.searchParams.get('state')).toBe('s1')
    const code = back.searchParams.get('auth_code') as string

    const token = await call(alipay.oauthToken({ code }))
    expect(token).toMatchObject({ verified: true, data: { user_id: '2088102000000002' } })
    const info = await call(alipay.userInfoShare(token.data.access_token as string))
    expect(info).toMatchObject({ success: true, data: { nick_name: '李四' } })
    // A code is good once.
    expect(await call(alipay.oauthToken({ code }))).toMatchObject({ subCode: 'isv.code-invalid' })
    expect(await call(alipay.userInfoShare('authusrNOPE'))).toMatchObject({
      subCode: 'aop.invalid-auth-token',
    })
  })
})

describe('Open Platform: gateway errors from their causes', () => {
  it('isv.invalid-signature for a request signed with the wrong key or a reordered string', async () => {
    const stranger = createOpenClient({
      appId: sandbox.credentials.appId,
      privateKey: sandbox.credentials.alipayPrivateKey, // Alipay's key, not the app's
      alipayPublicKey: sandbox.credentials.alipayPublicKey,
      gateway: sandbox.gatewayUrl,
    })
    const text1 = await post(stranger.tradeQuery({ out_trade_no: 'X1' }))
    // Under the method's own member, signed, as Alipay answers (the corpus's
    // open-answer-invalid-signature.json): an SDK reads code 40002, not "验签失败".
    const answer = JSON.parse(text1)
    expect(answer.error_response).toBeUndefined()
    expect(answer.alipay_trade_query_response).toMatchObject({
      code: '40002',
      msg: 'Invalid Arguments',
      sub_code: 'isv.invalid-signature',
      sub_msg: expect.stringContaining('网关生成的验签字符串为：'),
    })
    expect(answer.alipay_trade_query_response.sub_msg).toContain('&amp;method=alipay.trade.query')
    expect(verifyOpenResponse(alipay.config, 'alipay.trade.query', text1)).toMatchObject({
      verified: true,
      subCode: 'isv.invalid-signature',
    })

    const request = alipay.tradeQuery({ out_trade_no: 'X1' })
    const { sign: _sign, ...unsigned } = request.params
    const reordered = Object.entries(unsigned)
      .reverse()
      .map(([k, v]) => `${k}=${v}`)
      .join('&')
    const { createSign } = await import('node:crypto')
    const badSign = createSign('RSA-SHA256')
      .update(reordered)
      .sign(sandbox.credentials.appPrivateKey, 'base64')
    const body = new URLSearchParams({ ...unsigned, sign: badSign }).toString()
    const text = await (
      await fetch(sandbox.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      })
    ).text()
    expect(JSON.parse(text).alipay_trade_query_response.sub_code).toBe('isv.invalid-signature')
  })

  it('isv.invalid-timestamp for a server clock in UTC (8 hours off)', async () => {
    const request = alipay.tradeQuery({ out_trade_no: 'X2' })
    const utc = new Date().toISOString().slice(0, 19).replace('T', ' ')
    const params: Record<string, string> = { ...request.params, timestamp: utc }
    delete params.sign
    params.sign = rsaSignParams(params, alipay.config.privateKey)
    const text = await post({ ...request, body: new URLSearchParams(params).toString() })
    expect(JSON.parse(text).alipay_trade_query_response.sub_code).toBe('isv.invalid-timestamp')
  })

  it('isv.invalid-app-id, unsigned, which the core reports without trusting it', async () => {
    const other = createOpenClient({
      appId: '2021999999999999',
      privateKey: sandbox.credentials.appPrivateKey,
      alipayPublicKey: sandbox.credentials.alipayPublicKey,
      gateway: sandbox.gatewayUrl,
    })
    const request = other.tradeQuery({ out_trade_no: 'X3' })
    const answer = other.verifyResponse(request.method, await post(request))
    expect(answer).toMatchObject({ verified: false, subCode: 'isv.invalid-app-id' })
  })

  it("a success answer that is tampered with fails the core's verification", async () => {
    const no = orderNo()
    await paid(no)
    const request = alipay.tradeQuery({ out_trade_no: no })
    const text = (await post(request)).replace('"TRADE_SUCCESS"', '"TRADE_FINISHED"')
    expect(() => alipay.verifyResponse(request.method, text)).toThrow(AlipayResponseError)
  })
})
