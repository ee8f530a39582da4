import {
  checkNotificationAgainstOrder,
  createLegacyClient,
  createOpenClient,
  type LegacyClient,
  verifyLegacyNotification,
  verifyOpenNotification,
} from '@alipay-kit/core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from './clock.js'
import { RETRY_DELAYS_MS } from './notify/schedule.js'
import { type RunningSandbox, startSandbox } from './server.js'
import { startMerchant } from './test-support/merchant.js'

const MINUTE = 60_000
let seq = 0
const orderNo = () => `N${Date.now()}${++seq}`

function legacyClient(sandbox: RunningSandbox, charset = 'utf-8'): LegacyClient {
  return createLegacyClient({
    partner: sandbox.credentials.partner,
    key: sandbox.credentials.key,
    gateway: sandbox.gatewayUrl,
    charset,
  })
}

/** Creates a legacy instant trade at the simulator and returns its out_trade_no. */
async function openTrade(
  sandbox: RunningSandbox,
  notifyUrl: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const request = legacyClient(sandbox).directPay({
    out_trade_no: orderNo(),
    subject: 'Tea',
    total_fee: '12.00',
    notify_url: notifyUrl,
    return_url: notifyUrl.replace('notify', 'return'),
    ...extra,
  })
  expect((await fetch(request.url, { redirect: 'manual' })).status).toBe(302)
  return request.params.out_trade_no as string
}

describe("retry schedule: Alipay's intervals until the answer is exactly `success`", () => {
  it('tries 8 times at 0, 4m, 10m, 10m, 1h, 2h, 6h, 15h against an endpoint answering `fail`, with one notify_id', async () => {
    const clock = new ManualClock()
    const sandbox = await startSandbox({ clock })
    const merchant = await startMerchant('fail')
    try {
      const no = await openTrade(sandbox, merchant.notifyUrl)
      await sandbox.admin.pay(no)
      const start = clock.now()
      // Move simulated time from one due try to the next, letting each try's request finish
      // (within two days: the refund window's end, months later, is another notification).
      for (;;) {
        await sandbox.simulator.deliveries.settle()
        const due = clock.nextDue()
        if (due === undefined || due - start > 48 * 60 * MINUTE) break
        clock.advance(due - clock.now())
      }
      const [delivery] = sandbox.simulator.deliveries.list(no)
      expect(delivery?.state).toBe('failed')
      const times = delivery?.attempts.map((a) => a.at) ?? []
      expect(times).toHaveLength(8)
      expect(times.slice(1).map((t, i) => t - (times[i] as number))).toEqual(
        RETRY_DELAYS_MS.slice(1),
      )
      expect(RETRY_DELAYS_MS.slice(1)).toEqual([
        4 * MINUTE,
        10 * MINUTE,
        10 * MINUTE,
        60 * MINUTE,
        120 * MINUTE,
        360 * MINUTE,
        900 * MINUTE,
      ])
      // About 25 hours from first try to last.
      expect(((times.at(-1) as number) - (times[0] as number)) / (60 * MINUTE)).toBe(24.4)
      expect(merchant.received).toHaveLength(8)
      const ids = new Set(
        merchant.received.map((r) => new URLSearchParams(r.body.toString()).get('notify_id')),
      )
      expect(ids.size).toBe(1)
    } finally {
      await sandbox.close()
      await merchant.close()
    }
  })

  it('tries once against an endpoint answering `success`, and retries `success\\n` or `SUCCESS`', async () => {
    const clock = new ManualClock()
    const sandbox = await startSandbox({ clock })
    const answers = ['success\n', 'SUCCESS', '<p>success</p>', 'success']
    const merchant = await startMerchant((_, index) => answers[index] ?? 'success')
    try {
      const good = await startMerchant('success')
      const once = await openTrade(sandbox, good.notifyUrl)
      await sandbox.admin.pay(once)
      await sandbox.simulator.deliveries.settle()
      clock.advance(48 * 60 * MINUTE)
      await sandbox.simulator.deliveries.settle()
      expect(good.received).toHaveLength(1)
      expect(sandbox.simulator.deliveries.list(once)[0]?.state).toBe('delivered')
      await good.close()

      const picky = await openTrade(sandbox, merchant.notifyUrl)
      await sandbox.admin.pay(picky)
      for (let i = 0; i < 6; i++) {
        await sandbox.simulator.deliveries.settle()
        const due = clock.nextDue()
        if (due === undefined) break
        clock.advance(due - clock.now())
      }
      const [delivery] = sandbox.simulator.deliveries.list(picky)
      expect(delivery?.attempts.map((a) => a.answer)).toEqual(answers)
      expect(delivery?.state).toBe('delivered')
    } finally {
      await sandbox.close()
      await merchant.close()
    }
  })

  it('runs the whole schedule in seconds with a time scale', async () => {
    const scale = 36_000 // one simulated hour per 100 ms
    const sandbox = await startSandbox({ timeScale: scale })
    const merchant = await startMerchant('fail')
    try {
      const no = await openTrade(sandbox, merchant.notifyUrl)
      const started = Date.now()
      await sandbox.admin.pay(no)
      await expect
        .poll(() => sandbox.simulator.deliveries.list(no)[0]?.state, { timeout: 20_000 })
        .toBe('failed')
      const wall = Date.now() - started
      const times = sandbox.simulator.deliveries.list(no)[0]?.attempts.map((a) => a.at) ?? []
      expect(times).toHaveLength(8)
      // Each interval is at least Alipay's, and the 24.4 simulated hours took seconds of wall time.
      times.slice(1).forEach((t, i) => {
        expect(t - (times[i] as number)).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i + 1] as number)
      })
      expect(wall).toBeLessThan(15_000)
      expect(wall).toBeGreaterThanOrEqual((24.4 * 60 * MINUTE) / scale - 50)
    } finally {
      await sandbox.close()
      await merchant.close()
    }
  })
})

describe('fault injection: each fault does what it says and is recorded', () => {
  let sandbox: RunningSandbox
  let merchant: Awaited<ReturnType<typeof startMerchant>>
  beforeAll(async () => {
    sandbox = await startSandbox()
    merchant = await startMerchant()
  })
  afterAll(async () => {
    await sandbox.close()
    await merchant.close()
  })
  afterEach(() => sandbox.admin.clearFaults())

  const verify = (index: number, charset = 'utf-8') => {
    const received = merchant.received[index] as (typeof merchant.received)[number]
    return verifyLegacyNotification(legacyClient(sandbox, charset).config, {
      body: received.body,
      contentType: received.contentType,
    })
  }
  const payAndReceive = async (no: string, count = 1) => {
    const before = merchant.received.length
    const paid = await sandbox.admin.pay(no)
    await merchant.waitFor(before + count)
    return { before, paid }
  }

  it('duplicates: n copies at once with the same notify_id', async () => {
    const no = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ duplicates: 3 }, no)
    const { before } = await payAndReceive(no, 3)
    const copies = merchant.received.slice(before, before + 3)
    expect(new Set(copies.map((c) => c.body.toString())).size).toBe(1)
    expect(
      Math.max(...copies.map((c) => c.at)) - Math.min(...copies.map((c) => c.at)),
    ).toBeLessThan(1000)
    expect((await sandbox.admin.faultLog()).filter((f) => f.outTradeNo === no)).toEqual([
      expect.objectContaining({ faults: ['duplicates=3'] }),
    ])
  })

  it('reorder: an escrow trade’s notifications are held, then delivered newest first', async () => {
    const client = legacyClient(sandbox)
    const request = client.escrowPay({
      out_trade_no: orderNo(),
      subject: 'Tea',
      price: '5.00',
      quantity: '1',
      notify_url: merchant.notifyUrl,
      return_url: merchant.returnUrl,
      logistics: {
        logistics_type: 'EXPRESS',
        logistics_fee: '0.00',
        logistics_payment: 'SELLER_PAY',
      },
    })
    const no = request.params.out_trade_no as string
    await sandbox.admin.setFaults({ reorder: true }, no)
    await fetch(request.url, { redirect: 'manual' })
    const before = merchant.received.length
    await sandbox.admin.pay(no)
    await sandbox.admin.act(no, 'ship')
    await sandbox.admin.act(no, 'confirm')
    expect((await sandbox.admin.trade(no)).deliveries.map((d) => d.state)).toEqual([
      'held',
      'held',
      'held',
      'held',
    ])
    expect(merchant.received.length).toBe(before)
    expect(await sandbox.admin.release(no)).toEqual({ released: 4 })
    await merchant.waitFor(before + 4)
    const statuses = merchant.received
      .slice(before)
      .map((r) => new URLSearchParams(r.body.toString()).get('trade_status'))
    expect(statuses).toEqual([
      'TRADE_FINISHED',
      'WAIT_BUYER_CONFIRM_GOODS',
      'WAIT_SELLER_SEND_GOODS',
      'WAIT_BUYER_PAY',
    ])
  })

  it('delayMs: the first try waits', async () => {
    const no = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ delayMs: 300 }, no)
    const started = Date.now()
    await payAndReceive(no)
    expect(merchant.received.at(-1)?.at ?? 0).toBeGreaterThanOrEqual(started + 290)
  })

  it('dropReturn: no return redirect, the notification still goes out', async () => {
    const no = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ dropReturn: true }, no)
    const { paid } = await payAndReceive(no)
    expect(paid.returnUrl).toBeNull()
    const { returns } = await sandbox.admin.trade(no)
    expect(returns).toEqual([{ outTradeNo: no, dropped: true }]) // no url: none was issued
    const clean = await openTrade(sandbox, merchant.notifyUrl)
    expect((await payAndReceive(clean)).paid.returnUrl).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/alipay\/return\?/,
    )
  })

  it('badSignature, amount and otherSeller are each caught by the right check', async () => {
    const bad = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ badSignature: true }, bad)
    expect(verify((await payAndReceive(bad)).before)).toMatchObject({
      ok: false,
      rejection: { code: 'BAD_SIGNATURE' },
    })

    const cheap = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ amount: '0.01' }, cheap)
    const cheapResult = verify((await payAndReceive(cheap)).before)
    if (!cheapResult.ok || cheapResult.notification.kind !== 'trade')
      throw new Error('expected a verified trade notification')
    expect(
      checkNotificationAgainstOrder(cheapResult.notification, {
        outTradeNo: cheap,
        amountFen: 1200,
      })?.code,
    ).toBe('AMOUNT_MISMATCH')

    const other = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ otherSeller: true }, other)
    expect(verify((await payAndReceive(other)).before)).toMatchObject({
      ok: false,
      rejection: { code: 'WRONG_SELLER' },
    })
    const log = await sandbox.admin.faultLog()
    expect(log.map((entry) => [entry.outTradeNo, entry.faults])).toEqual(
      expect.arrayContaining([
        [bad, ['badSignature']],
        [cheap, ['amount=0.01']],
        [other, ['otherSeller']],
      ]),
    )
  })

  it('gbk and trickyValues: GBK bytes and `+ % & =` with CJK survive verification exactly', async () => {
    const no = await openTrade(sandbox, merchant.notifyUrl)
    await sandbox.admin.setFaults({ gbk: true, trickyValues: true }, no)
    const { before } = await payAndReceive(no)
    const received = merchant.received[before] as (typeof merchant.received)[number]
    expect(received.contentType).toContain('GBK')
    expect(received.body.toString('latin1')).toContain('%C1%FA%BE%AE%B2%E8') // 龙井茶 in GBK
    expect(verify(before, 'gbk')).toMatchObject({
      ok: true,
      notification: { params: { extra_common_param: 'a+b=c&d 50% 龙井茶' } },
    })
  })

  it('global faults apply to every order; Open Platform notifications carry them too', async () => {
    await sandbox.admin.setFaults({ trickyValues: true })
    const open = createOpenClient({
      appId: sandbox.credentials.appId,
      privateKey: sandbox.credentials.appPrivateKey,
      alipayPublicKey: sandbox.credentials.alipayPublicKey,
      gateway: sandbox.gatewayUrl,
    })
    const no = orderNo()
    const request = open.pagePay(
      { out_trade_no: no, total_amount: '1.00', subject: 'Tea' },
      { notifyUrl: merchant.notifyUrl },
    )
    await fetch(request.url, { redirect: 'manual' })
    const { before } = await payAndReceive(no)
    const received = merchant.received[before] as (typeof merchant.received)[number]
    expect(
      verifyOpenNotification(open.config, {
        body: received.body,
        contentType: received.contentType,
      }),
    ).toMatchObject({
      ok: true,
      notification: { params: { passback_params: 'a+b=c&d 50% 龙井茶' } },
    })
  })

  it('refuses an unknown fault with its name and the known ones', async () => {
    await expect(
      sandbox.admin.setFaults({ explode: true } as unknown as Parameters<
        typeof sandbox.admin.setFaults
      >[0]),
    ).rejects.toThrow(/unknown fault "explode"; known: duplicates, reorder/)
  })
})
