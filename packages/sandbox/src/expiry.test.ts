import {
  chinaTimestamp,
  createLegacyClient,
  createOpenClient,
  type OpenRequest,
} from '@alipay-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSandbox, startSandbox } from './server.js'
import { startMerchant } from './test-support/merchant.js'

/*
 * Expiries on the simulator's test clock (POST /__admin/clock), the faults that hold a trade's
 * notifications back, foreign trades and the query counter: what the kit's sweep and
 * reconciliation are tested against (docs/protocol.md, "Expiry" and "The daily bill").
 */

let sandbox: RunningSandbox
let merchant: Awaited<ReturnType<typeof startMerchant>>
let seq = 0
const orderNo = () => `E${Date.now()}${++seq}`
const MINUTE = 60_000

beforeAll(async () => {
  sandbox = await startSandbox()
  merchant = await startMerchant()
})
afterAll(async () => {
  await sandbox.close()
  await merchant.close()
})

const open = () =>
  createOpenClient({
    appId: sandbox.credentials.appId,
    privateKey: sandbox.credentials.appPrivateKey,
    alipayPublicKey: sandbox.credentials.alipayPublicKey,
    gateway: sandbox.gatewayUrl,
  })
const post = (request: OpenRequest) =>
  fetch(sandbox.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: request.body,
  }).then((r) => r.text())

/** A page-pay trade at the cashier, payable until `expires` (simulator time). */
async function pageTrade(expires: number): Promise<string> {
  const no = orderNo()
  const request = open().pagePay(
    {
      out_trade_no: no,
      total_amount: '9.00',
      subject: '茶',
      time_expire: chinaTimestamp(new Date(expires)),
    },
    { notifyUrl: merchant.notifyUrl, returnUrl: merchant.returnUrl },
  )
  await fetch(request.url, { redirect: 'manual' })
  return no
}

describe('expiry on the test clock', () => {
  it('closes an unpaid trade at time_expire, notifies TRADE_CLOSED, and refuses to pay it', async () => {
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 30 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.expiresAt).toBe(
      new Date(Math.floor((now + 30 * MINUTE) / 1000) * 1000).toISOString(),
    )
    await sandbox.admin.advanceClock(29 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.tradeStatus).toBe('WAIT_BUYER_PAY')
    await sandbox.admin.advanceClock(2 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.tradeStatus).toBe('TRADE_CLOSED')
    await sandbox.simulator.deliveries.settle()
    const sent = sandbox.simulator.deliveries.list(no).map((d) => d.params.trade_status)
    expect(sent).toEqual(['TRADE_CLOSED'])
    await expect(sandbox.admin.pay(no)).rejects.toThrow(/TRADE_NOT_ALLOWED_PAY/)
  })

  it('legacy it_b_pay counts from the trade’s creation; a malformed one is ILLEGAL_ARGUMENT', async () => {
    const legacy = createLegacyClient({
      partner: sandbox.credentials.partner,
      key: sandbox.credentials.key,
      gateway: sandbox.gatewayUrl,
    })
    const no = orderNo()
    const request = legacy.directPay({
      out_trade_no: no,
      subject: '茶',
      total_fee: '1.00',
      it_b_pay: '15m',
      notify_url: merchant.notifyUrl,
      return_url: merchant.returnUrl,
    })
    await fetch(request.url, { redirect: 'manual' })
    await sandbox.admin.advanceClock(16 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.tradeStatus).toBe('TRADE_CLOSED')
    const tooLong = legacy.directPay({
      out_trade_no: orderNo(),
      subject: '茶',
      total_fee: '1.00',
      it_b_pay: '20d',
      notify_url: merchant.notifyUrl,
      return_url: merchant.returnUrl,
    })
    const page = await (await fetch(tooLong.url)).text()
    expect(page).toContain('ILLEGAL_ARGUMENT')
    expect(page).toContain('it_b_pay')
  })
})

describe('the refund window on the test clock', () => {
  it('a paid instant trade is TRADE_FINISHED (no more refunds) once the window passed', async () => {
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 60 * MINUTE)
    await sandbox.admin.pay(no)
    await sandbox.admin.advanceClock(89 * 24 * 60 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.tradeStatus).toBe('TRADE_SUCCESS')
    await sandbox.admin.advanceClock(2 * 24 * 60 * MINUTE)
    expect((await sandbox.admin.trade(no)).trade.tradeStatus).toBe('TRADE_FINISHED')
    await expect
      .poll(() => sandbox.simulator.deliveries.list(no).map((d) => d.params.trade_status))
      .toEqual(['TRADE_SUCCESS', 'TRADE_FINISHED'])
  })
})

describe('faults that hold notifications back', () => {
  it('dropNotifications: never delivered, recorded as dropped', async () => {
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 60 * MINUTE)
    await sandbox.admin.setFaults({ dropNotifications: true }, no)
    await sandbox.admin.pay(no)
    await sandbox.admin.advanceClock(48 * 60 * MINUTE)
    await sandbox.simulator.deliveries.settle()
    const deliveries = await sandbox.admin.deliveries(no)
    expect(deliveries.map((d) => [d.state, d.attempts.length])).toEqual([['dropped', 0]])
  })

  it('notifyAfterExpiry: the payment is told a minute after the expiry, not before', async () => {
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 10 * MINUTE)
    await sandbox.admin.setFaults({ notifyAfterExpiry: true }, no)
    await sandbox.admin.pay(no)
    await sandbox.admin.advanceClock(10 * MINUTE)
    await sandbox.simulator.deliveries.settle()
    expect((await sandbox.admin.deliveries(no))[0]?.attempts).toEqual([])
    await sandbox.admin.advanceClock(2 * MINUTE)
    await sandbox.simulator.deliveries.settle()
    const [delivery] = await sandbox.admin.deliveries(no)
    expect(delivery?.params.trade_status).toBe('TRADE_SUCCESS')
    expect(delivery?.state).toBe('delivered')
    expect(delivery?.faults).toContain('notifyAfterExpiry')
  })

  it('queryDelayMs slows trade queries, and the counter sees two at once', async () => {
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 10 * MINUTE)
    await sandbox.admin.setFaults({ queryDelayMs: 200 }, no)
    const query = () => post(open().tradeQuery({ out_trade_no: no }))
    await Promise.all([query(), query()])
    await query()
    expect((await sandbox.admin.queries())[no]).toEqual({ count: 3, maxInFlight: 2 })
  })
})

describe('the bill', () => {
  it('holds the day’s payments, foreign trades too; no bill for today or a day without any', async () => {
    const client = open()
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
    const now = (await sandbox.admin.clock()).nowMs
    const no = await pageTrade(now + 60 * MINUTE)
    await sandbox.admin.pay(no)
    const foreign = await sandbox.admin.foreignTrade({ amount: '66.00', subject: '门店收款' })
    expect(foreign.trade).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', foreign: true })
    const ask = async (date: string) => {
      const request = client.billDownloadUrlQuery({ bill_type: 'trade', bill_date: date })
      return client.verifyResponse(request.method, await post(request))
    }
    expect(await ask(day(now))).toMatchObject({ success: false, subCode: 'isp.bill_not_exist' })
    await sandbox.admin.advanceClock(24 * 60 * MINUTE)
    const answer = await ask(day(now))
    expect(answer.data.bill_download_url).toMatch(/\/downloadBillFile\.resource\?/)
    const zip = await fetch(answer.data.bill_download_url as string)
    expect(zip.headers.get('content-type')).toBe('application/zip')
    const bytes = Buffer.from(await zip.arrayBuffer())
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304')
    expect(await ask(day(now - 30 * 24 * 60 * MINUTE))).toMatchObject({
      subCode: 'isp.bill_not_exist',
    })
    // The link lives 30 seconds.
    await sandbox.admin.advanceClock(31_000)
    expect((await fetch(answer.data.bill_download_url as string)).status).toBe(404)
  })

  it('moves only forward, and says what is wrong', async () => {
    const response = await fetch(`${sandbox.url}/__admin/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: -5 }),
    })
    expect([response.status, ((await response.json()) as { error: string }).error]).toEqual([
      400,
      'advanceMs must be a number of milliseconds, 0 or more',
    ])
  })
})

describe('timers', () => {
  it('a task months ahead waits (setTimeout alone would fire it at once)', async () => {
    const { scaledClock } = await import('./clock.js')
    const clock = scaledClock(1)
    let ran = false
    const handle = clock.schedule(90 * 24 * 3600_000, () => {
      ran = true
    })
    await new Promise((resolve) => setTimeout(resolve, 50))
    handle.cancel()
    expect(ran).toBe(false)
  })
})
