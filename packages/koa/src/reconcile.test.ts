import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  type Harness,
  MERCHANT_SECRET,
  Shopper,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chinaDay } from './reconcile/reconcile-day.js'
import type { Store } from './store/types.js'

/*
 * The daily bill (src/reconcile; koa README, "The daily bill") over real HTTP: the simulator
 * serves its own trades' bill (a zip of GBK CSV files) and the kit matches it line by line.
 */

const CLI = fileURLToPath(new URL('../../../scripts/reconcile.mjs', import.meta.url))

/** Runs `pnpm reconcile` (scripts/reconcile.mjs) without blocking this process's servers. */
function reconcileCli(
  args: string[],
  secret: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, MERCHANT_API_SECRET: secret }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

const { stores } = await storesUnderTest()

describe.each(stores)('the daily bill on %s', (_name, open) => {
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
  /** Moves the test clock to `day` (China) at `time`. */
  const moveTo = async (day: string, time: string) => {
    const target = Date.parse(`${day}T${time}+08:00`)
    await admin().advanceClock(target - (await admin().clock()).nowMs)
  }
  const nextDay = (day: string) => chinaDay(Date.parse(`${day}T12:00:00+08:00`) + 86_400_000)

  it('reports exactly a missing, an extra and a mismatched trade, and a query settles the mismatch', async () => {
    const day = nextDay(chinaDay((await admin().clock()).nowMs))
    await moveTo(day, '12:00:00')
    const buyer = new Shopper(h.bff.url)
    const paidOrder = async (faults?: { dropNotifications: true }) => {
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await fetch(created.payment.url, { redirect: 'manual' })
      if (faults) await admin().setFaults(faults, created.order.id)
      await admin().pay(created.order.id)
      return created.order.id
    }
    // Agrees: paid, notified, then partly refunded through the merchant API.
    const fine = await paidOrder()
    await buyer.waitFor(fine, (o) => o.paid)
    expect((await h.merchant(`/orders/${fine}/refund`, { amount: '0.01' })).status).toBe(200)
    // Mismatched: Alipay took the money, the notification never came.
    const unpaidHere = await paidOrder({ dropNotifications: true })
    // Extra: a payment the shop never created.
    const extra = (await admin().foreignTrade({ amount: '66.00', subject: '门店收款' })).trade
    // Missing: marked paid here (a bug, a forged write), never paid at Alipay.
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    const missing = created.order.id
    await fetch(created.payment.url, { redirect: 'manual' })
    await admin().setFaults({ dropNotifications: true }, missing)
    await store.query(
      `update akit_orders set state = state || '{"trade":"TRADE_SUCCESS","paid":true,"mode":"instant"}'::jsonb,
         trade_status = 'TRADE_SUCCESS', paid_at = $2 where id = $1`,
      [missing, new Date(`${day}T12:30:00+08:00`)],
    )

    // Today's bill does not exist yet: refused, saying why.
    const early = await h.merchant('/reconciliations', { date: day })
    expect(early.status).toBe(400)
    expect(early.body.error.message).toContain('not over yet')

    await moveTo(nextDay(day), '09:00:00')
    const { status, body } = await h.merchant('/reconciliations', { date: day })
    expect(status).toBe(200)
    expect(body).toMatchObject({ date: day, status: 'differences', differences: 3, settled: 1 })
    expect(body.billLines).toBe(4) // three payments and the refund
    const kinds = body.items.map((i: any) => [i.kind, i.orderId, i.settled])
    expect(kinds.sort()).toEqual(
      [
        ['missing_at_alipay', missing, false],
        ['missing_here', extra.outTradeNo, false],
        ['unpaid_here', unpaidHere, true],
      ].sort(),
    )
    const item = (kind: string) => body.items.find((i: any) => i.kind === kind)
    expect(item('missing_here')).toMatchObject({ alipayAmount: '66.00', tradeNo: extra.tradeNo })
    expect(item('missing_here').detail).toContain('no order of this shop')
    expect(item('missing_at_alipay')).toMatchObject({ alipayAmount: null, localAmount: '0.01' })
    // The query settled it: paid here now, its hook once.
    expect((await h.merchant(`/orders/${unpaidHere}`)).body.order.paid).toBe(true)
    expect(h.hooksOf(unpaidHere)).toEqual(['onPaid'])
    // Listed newest first, without items; one by id with them.
    const list = (await h.merchant('/reconciliations')).body.reconciliations
    expect(list[0]).toMatchObject({ id: body.id, status: 'differences' })
    expect(list[0].items).toBeUndefined()
    expect((await h.merchant(`/reconciliations/${body.id}`)).body.items).toHaveLength(3)
    expect((await h.merchant('/reconciliations/999999')).status).toBe(404)
    // The command line: `pnpm reconcile --date …` (exit 2: differences remain).
    const cli = await reconcileCli(['--date', day, '--url', h.bff.url], MERCHANT_SECRET)
    expect(cli.status, cli.stderr).toBe(2)
    expect(cli.stdout).toContain(`Bill of ${day}: differences`)
    expect(cli.stdout).toMatch(new RegExp(`OPEN +missing_here +${extra.outTradeNo}`))
    // Run again, the order the query settled agrees now: two differences are left.
    expect(cli.stdout).toContain('2 difference(s), 0 settled')
    expect(cli.stdout).not.toContain(unpaidHere)
    const wrong = await reconcileCli(['--date', day, '--url', h.bff.url], 'not-the-secret')
    expect(wrong.status).toBe(1)
    expect(wrong.stderr).toContain('MERCHANT_API_SECRET')
  })

  it('a day without a bill is no_bill, not "nothing missing"; a malformed date is refused', async () => {
    const now = (await admin().clock()).nowMs
    const quiet = chinaDay(now - 40 * 86_400_000)
    const { body } = await h.merchant('/reconciliations', { date: quiet })
    expect(body).toMatchObject({ status: 'no_bill', differences: 0 })
    expect(body.error).toContain('nothing was paid')
    const bad = await h.merchant('/reconciliations', { date: '2026-13-45' })
    expect(bad.status).toBe(400)
    expect((await h.merchant('/reconciliations', { date: 'yesterday' })).body.error.field).toBe(
      'date',
    )
  })

  it('the daily job reconciles yesterday once it is ready, once', async () => {
    const today = chinaDay((await admin().clock()).nowMs)
    // Before 10:00 China time the bill may not be ready: the job waits.
    await moveTo(nextDay(today), '08:00:00')
    const before = (await h.merchant('/reconciliations')).body.reconciliations.length
    expect((await h.bff.kit.jobs.run('daily-bill')).count).toBe(0)
    await moveTo(nextDay(today), '10:30:00')
    const pass = await h.bff.kit.jobs.run('daily-bill')
    expect(pass).toMatchObject({ ran: true, count: 1 })
    const list = (await h.merchant('/reconciliations')).body.reconciliations
    expect(list).toHaveLength(before + 1)
    expect(list[0].date).toBe(today)
  })
})
