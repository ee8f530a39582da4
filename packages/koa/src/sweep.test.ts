import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import {
  type Bff,
  type Harness,
  type HookLog,
  recordingHooks,
  SAMPLE_ADDRESS,
  Shopper,
  startBff,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * The sweep and the expiry (src/jobs/payment-sweep.ts; koa README, "The sweep"), over real HTTP
 * against the simulator, the kit running on the simulator's test clock: orders whose every
 * notification is lost end paid; expired orders are closed at Alipay, then here; a payment after
 * the close is applied and flagged; two instances never ask about one order at once.
 */

const MINUTE = 60_000
const { stores, pg } = await storesUnderTest()

/** Runs sweep passes until one finds nothing due. */
async function sweepAll(bff: Bff): Promise<number> {
  let total = 0
  for (;;) {
    const pass = await bff.kit.jobs.run('payment-sweep')
    if (pass.error) throw new Error(pass.error)
    if (pass.count === 0) return total
    total += pass.count
  }
}

describe.each(stores)('the sweep on %s', (_name, open) => {
  let h: Harness
  let store: Store
  beforeAll(async () => {
    store = await open()
    h = await startHarness({ store, kit: { clock: 'sandbox', runJobs: false } })
  })
  afterAll(async () => {
    await h.close()
    await store.close()
  })
  const admin = () => h.sandbox.admin
  const view = async (id: string) => (await h.merchant(`/orders/${id}`)).body

  it('100 orders paid with every notification dropped: the sweep finds each paid, each hook once', async () => {
    await admin().setFaults({ dropNotifications: true })
    try {
      const buyer = new Shopper(h.bff.url)
      const ids: string[] = []
      for (let i = 0; i < 100; i++) {
        const created = await buyer.order(i % 2 ? 'page' : 'instant', [{ sku: 'cup', quantity: 1 }])
        // The buyer reaches the cashier (the trade opens at Alipay) and pays; nothing is notified.
        await fetch(created.payment.url, { redirect: 'manual' })
        await admin().pay(created.order.id)
        ids.push(created.order.id)
      }
      expect((await view(ids[0] as string)).order.paid).toBe(false)
      // Nothing is due before the first minute of the schedule.
      expect(await sweepAll(h.bff)).toBe(0)
      await admin().advanceClock(MINUTE + 1_000)
      expect(await sweepAll(h.bff)).toBe(100)
      for (const id of ids) {
        const { order, notifications } = await view(id)
        expect(order, id).toMatchObject({ paid: true, phase: 'paid' })
        expect(h.hooksOf(id), id).toEqual(['onPaid'])
        expect(notifications.map((n: any) => `${n.channel}:${n.outcome}`)).toEqual([
          'query:applied',
        ])
      }
      const deliveries = await admin().deliveries()
      expect(
        deliveries.filter((d) => ids.includes(d.outTradeNo)).every((d) => d.state === 'dropped'),
      ).toBe(true)
      // Paid orders leave the sweep: a later pass asks nothing.
      await admin().advanceClock(5 * MINUTE)
      const before = await admin().queries()
      expect(await sweepAll(h.bff)).toBe(0)
      expect(await admin().queries()).toEqual(before)
    } finally {
      await admin().clearFaults()
    }
  })

  it('an unpaid order is asked about on the schedule, then closed at Alipay at its expiry', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('escrow', [{ sku: 'cup', quantity: 1 }], SAMPLE_ADDRESS)
    const id = created.order.id
    await fetch(created.payment.url, { redirect: 'manual' })
    expect((await view(id)).order.expiresAt).toBe(
      new Date(Date.parse(created.order.createdAt) + 30 * MINUTE).toISOString(),
    )
    const asked = async () => (await admin().queries())[id]?.count ?? 0
    // 1, 5 and 15 minutes: one query each (a pass in between asks nothing).
    for (const [minutes, count] of [
      [1, 1],
      [5, 2],
      [15, 3],
    ] as const) {
      await admin().advanceClock(
        minutes * MINUTE -
          ((await admin().clock()).nowMs - Date.parse(created.order.createdAt)) +
          1_000,
      )
      await sweepAll(h.bff)
      await sweepAll(h.bff)
      expect(await asked(), `after ${minutes} min`).toBe(count)
    }
    expect((await admin().trade(id)).trade.tradeStatus).toBe('WAIT_BUYER_PAY')
    // The expiry (30 min) comes before the 60-minute query: asked once more, then closed.
    await admin().advanceClock(16 * MINUTE)
    await sweepAll(h.bff)
    expect(await asked()).toBe(4)
    expect((await admin().trade(id)).trade.tradeStatus).toBe('TRADE_CLOSED')
    const { order } = await view(id)
    expect(order).toMatchObject({ phase: 'closed', paid: false, review: null })
    expect(h.hooksOf(id)).toEqual(['onClosed'])
    // Closed: never asked again.
    await admin().advanceClock(120 * MINUTE)
    await sweepAll(h.bff)
    expect(await asked()).toBe(4)
  })

  it('a legacy payment made after the order was closed is applied as paid and flagged, never refused', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('instant', [{ sku: 'cup', quantity: 1 }])
    const id = created.order.id
    // The buyer leaves the form unsent; the order expires and the sweep closes it (Alipay knows
    // no trade yet: TRADE_NOT_EXIST, so the order closes here).
    await admin().advanceClock(31 * MINUTE)
    await sweepAll(h.bff)
    expect((await view(id)).order.phase).toBe('closed')
    expect(h.hooksOf(id)).toEqual(['onClosed'])
    // Then the buyer sends the signed form after all: Alipay opens the trade and takes the money.
    await fetch(created.payment.url, { redirect: 'manual' })
    await admin().pay(id)
    await expect
      .poll(() => h.sandbox.simulator.deliveries.list(id).map((d) => d.attempts.at(-1)?.answer))
      .toEqual(['success'])
    const { order, notifications } = await view(id)
    expect(order).toMatchObject({
      paid: true,
      phase: 'paid',
      review: { code: 'PAID_AFTER_CLOSE', reason: expect.stringContaining('refund it') },
    })
    expect(h.hooksOf(id)).toEqual(['onClosed', 'onPaid', 'onReview'])
    expect(notifications.map((n: any) => `${n.channel}:${n.outcome}`)).toContain('notify:applied')
    expect(h.logs.lines.some((l) => l.includes('payment expired: closed') && l.includes(id))).toBe(
      true,
    )
  })
})

describe('a query that fails', () => {
  let h: Harness
  let broken = false
  beforeAll(async () => {
    // Alipay's gateway unreachable for trade queries while `broken`: what a network outage does.
    const flaky: typeof fetch = (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : ''
      if (broken && body.includes('alipay.trade.query'))
        return Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED'))
      return fetch(input, init)
    }
    h = await startHarness({ kit: { clock: 'sandbox', runJobs: false, fetch: flaky } })
  })
  afterAll(() => h.close())

  it('is tried again a minute later, not counted as an answer, and logged', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    const id = created.order.id
    await fetch(created.payment.url, { redirect: 'manual' })
    await h.sandbox.admin.setFaults({ dropNotifications: true }, id)
    await h.sandbox.admin.pay(id)
    const sweep = async () =>
      (
        await h.store.query<{ sweep_attempts: number; sweep_next_at: Date }>(
          'select sweep_attempts, sweep_next_at from akit_orders where id = $1',
          [id],
        )
      )[0]
    broken = true
    await h.sandbox.admin.advanceClock(MINUTE + 1_000)
    expect((await h.bff.kit.jobs.run('payment-sweep')).count).toBe(1)
    const failed = await sweep()
    expect(failed?.sweep_attempts).toBe(0)
    // Tried again a minute later (the kit's clock is the simulator's).
    const retryIn =
      new Date(failed?.sweep_next_at as Date).getTime() - (await h.sandbox.admin.clock()).nowMs
    expect(retryIn).toBeGreaterThan(55_000)
    expect(retryIn).toBeLessThanOrEqual(60_000)
    expect((await h.merchant(`/orders/${id}`)).body.order.paid).toBe(false)
    expect(
      h.logs.lines.some((l) => l.includes('sweep: Alipay did not answer') && l.includes(id)),
    ).toBe(true)
    // Within the minute: not asked again. After it, with Alipay back: paid, counted once.
    broken = false
    await sweepAll(h.bff)
    expect((await sweep())?.sweep_attempts).toBe(0)
    await h.sandbox.admin.advanceClock(MINUTE)
    await sweepAll(h.bff)
    expect((await h.merchant(`/orders/${id}`)).body.order.paid).toBe(true)
    expect((await sweep())?.sweep_attempts).toBe(1)
    expect(h.hooksOf(id)).toEqual(['onPaid'])
  })
})

describe.skipIf(!pg)('two instances sweep one PostgreSQL', () => {
  let sandbox: RunningSandbox
  let instanceStores: Store[]
  let a: Bff
  let b: Bff
  const hookLog: HookLog = []
  beforeAll(async () => {
    sandbox = await startSandbox()
    instanceStores = [await openStore(pg?.url as string), await openStore(pg?.url as string)]
    const kit = { clock: 'sandbox' as const, runJobs: false }
    a = await startBff(sandbox, instanceStores[0] as Store, { hooks: recordingHooks(hookLog), kit })
    b = await startBff(sandbox, instanceStores[1] as Store, { hooks: recordingHooks(hookLog), kit })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    for (const store of instanceStores ?? []) await store.close()
    await sandbox?.close()
  })

  it('never ask Alipay about one order twice at once, and share the work', async () => {
    const buyer = new Shopper(a.url)
    const ids: string[] = []
    for (let i = 0; i < 120; i++) {
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await fetch(created.payment.url, { redirect: 'manual' })
      ids.push(created.order.id)
    }
    // Every query is slow, so overlapping sweeps would overlap on an order if they could.
    await sandbox.admin.setFaults({ queryDelayMs: 20 })
    await sandbox.admin.advanceClock(MINUTE + 1_000)
    const passes = await Promise.all([a, b, a, b].map((bff) => bff.kit.jobs.run('payment-sweep')))
    await Promise.all([sweepAll(a), sweepAll(b)])
    const queries = await sandbox.admin.queries()
    for (const id of ids) expect(queries[id], id).toEqual({ count: 1, maxInFlight: 1 })
    // Both instances did part of it (SKIP LOCKED hands each its own rows), and all of it was done.
    expect(passes[0]?.count).toBeGreaterThan(0)
    expect(passes[1]?.count).toBeGreaterThan(0)
    expect(passes.reduce((sum, p) => sum + p.count, 0)).toBe(120)
    await sandbox.admin.clearFaults()
  })
})
