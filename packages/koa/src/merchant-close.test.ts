import { api, type Harness, MERCHANT_SECRET, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The merchant closing an order (POST /api/merchant/orders/:id/close). An order whose buyer never
 * opened the cashier has no trade at Alipay (ACQ.TRADE_NOT_EXIST, legacy TRADE_NOT_EXIST): there
 * is nothing to close there, so the order is closed here, as the sweep does at expiry (issue 26;
 * docs/protocol.md, "Expiry"). A payment that came later anyway is flagged, never lost.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const close = (id: string) =>
  api<{ phase?: string; error?: { code: string } }>(
    `${h.bff.url}/api/merchant/orders/${id}/close`,
    { method: 'POST', body: {}, headers: { authorization: `Bearer ${MERCHANT_SECRET}` } },
  )

describe('closing an order the buyer never took to the cashier', () => {
  it.each(['page', 'instant'] as const)(
    '%s: no trade at Alipay, so the order is closed here, onClosed once',
    async (service) => {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order(service, [{ sku: 'cup', quantity: 1 }])
      const answer = await close(created.order.id)
      expect([answer.status, answer.body.phase, answer.body.error?.code]).toEqual([
        200,
        'closed',
        undefined,
      ])
      expect((await buyer.orderView(created.order.id)).phase).toBe('closed')
      expect(h.hooksOf(created.order.id)).toEqual(['onClosed'])
      // Closed once: a second close is refused as for any closed order.
      expect((await close(created.order.id)).status).toBe(409)
    },
  )
})
