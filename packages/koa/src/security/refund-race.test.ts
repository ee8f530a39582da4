import { type Harness, Shopper, startHarness, storesUnderTest } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../store/types.js'

/*
 * Issue 25: "left to refund" ignored refunds Alipay had accepted but not yet notified, so three
 * concurrent 100.00 refunds of a 128.00 order all reached Alipay. A refund is now recorded as
 * requested (akit_refunds) under the order's row lock before it is sent, and what is left is the
 * charge less what was refunded less what is requested (merchant/operations.ts). Over real HTTP
 * against the simulator, on PGlite and on PostgreSQL (where the row lock is what serialises them).
 */

const { stores } = await storesUnderTest()

describe.each(stores)('concurrent refunds on %s', (_name, open) => {
  let h: Harness
  let store: Store
  beforeAll(async () => {
    store = await open()
    h = await startHarness({ store })
  })
  afterAll(async () => {
    await h.close()
    await store.close()
  })

  async function paidOrder(service: 'instant' | 'page') {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order(service, [{ sku: 'tea-longjing', quantity: 1 }])
    await buyer.payAtSimulator(h.sandbox, created)
    return { buyer, id: created.order.id }
  }
  const refund = (id: string, amount: string) => h.merchant(`/orders/${id}/refund`, { amount })
  const rowsOf = (id: string) =>
    store.query<{ amount_fen: string; state: string }>(
      'select amount_fen::text, state from akit_refunds where order_id = $1 order by created_at',
      [id],
    )

  it.each([
    ['legacy (batch refund)', 'instant'],
    ['Open Platform', 'page'],
  ] as const)(
    '%s: three 100.00 refunds of a 128.00 order at once, one reaches Alipay',
    async (_label, service) => {
      const { buyer, id } = await paidOrder(service)
      const answers = await Promise.all([1, 2, 3].map(() => refund(id, '100.00')))
      const statuses = answers.map((a) => a.status).sort()
      expect(statuses, JSON.stringify(answers)).toEqual([200, 400, 400])
      for (const refused of answers.filter((a) => a.status === 400))
        expect(refused.body.error).toMatchObject({
          code: 'INVALID_INPUT',
          field: 'amount',
          message: expect.stringMatching(/28\.00 is left to refund.*100\.00 .*not confirmed/),
        })
      // The simulator saw one refund request: one batch result (legacy) or one refund (Open).
      await h.sandbox.simulator.deliveries.settle()
      if (service === 'instant')
        expect(
          h.sandbox.simulator.deliveries
            .list(id)
            .filter((d) => d.params.notify_type === 'batch_refund_notify'),
        ).toHaveLength(1)
      expect((await h.sandbox.admin.trade(id)).trade.refunds).toHaveLength(1)
      const order = await buyer.waitFor(id, (o) => o.refunded === '100.00')
      expect(order.refundFailures).toEqual([])
      // The notification moved the request from requested to succeeded: the 28.00 left refunds.
      await expect.poll(() => rowsOf(id)).toEqual([{ amount_fen: '10000', state: 'succeeded' }])
      expect((await refund(id, '28.00')).status).toBe(200)
      await buyer.waitFor(id, (o) => o.refunded === '128.00')
    },
  )

  it('a refund Alipay refuses releases what it held (Open Platform: in its answer)', async () => {
    const { id } = await paidOrder('page')
    await h.sandbox.admin.setFaults({ refundRefused: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' }, id)
    expect((await refund(id, '100.00')).status).toBe(502)
    expect(await rowsOf(id)).toEqual([{ amount_fen: '10000', state: 'failed' }])
    await h.sandbox.admin.setFaults({}, id)
    expect((await refund(id, '128.00')).status).toBe(200)
  })

  it('a refund Alipay refuses releases what it held (legacy: in the batch result)', async () => {
    const { buyer, id } = await paidOrder('instant')
    await h.sandbox.admin.setFaults({ refundRefused: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH' }, id)
    expect((await refund(id, '100.00')).status).toBe(200)
    await buyer.waitFor(id, (o) => o.refundFailures.length === 1)
    await expect.poll(() => rowsOf(id)).toEqual([{ amount_fen: '10000', state: 'failed' }])
    await h.sandbox.admin.setFaults({}, id)
    expect((await refund(id, '128.00')).status).toBe(200)
    await buyer.waitFor(id, (o) => o.refunded === '128.00')
  })

  it('a requested refund not yet confirmed leaves only the rest: a full refund then is 409', async () => {
    const { id } = await paidOrder('page')
    // Alipay refunded, the shop has not heard yet: its notifications are lost.
    await h.sandbox.admin.setFaults({ dropNotifications: true }, id)
    expect((await refund(id, '128.00')).status).toBe(200)
    const again = await h.merchant(`/orders/${id}/refund`, {})
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT'])
    expect(again.body.error.message).toContain('128.00 requested')
  })
})
