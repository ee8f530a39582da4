import { api, type Harness, MERCHANT_SECRET, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * What is left to refund, when Alipay answers "busy", refuses, or never notifies a refund
 * (docs/security.md, "Concurrent refunds"). Found by trying the first fix as an attacker would:
 * each of these failed on it. Over real HTTP against the simulator.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

async function paidOrder() {
  const buyer = new Shopper(h.bff.url)
  const created = await buyer.order('page', [{ sku: 'tea-longjing', quantity: 1 }])
  await buyer.payAtSimulator(h.sandbox, created)
  return { buyer, id: created.order.id }
}

const refund = (id: string, amount: string, key?: string) =>
  api<{ error?: { code: string; message: string } }>(
    `${h.bff.url}/api/merchant/orders/${id}/refund`,
    {
      method: 'POST',
      body: { amount },
      headers: {
        authorization: `Bearer ${MERCHANT_SECRET}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
    },
  )

const refundsAtAlipay = (id: string) =>
  h.sandbox.simulator.snapshot().trades.find((t) => t.outTradeNo === id)?.refunds ?? []

describe('what is left to refund', () => {
  it('"Alipay is busy" (ACQ.SYSTEM_ERROR) leaves the amount held: the outcome is unknown', async () => {
    const { id } = await paidOrder()
    await h.sandbox.admin.setFaults({ refundRefused: 'ACQ.SYSTEM_ERROR' }, id)
    expect((await refund(id, '100.00')).status).toBe(502)
    await h.sandbox.admin.setFaults({}, id)
    const second = await refund(id, '100.00')
    expect(second.status).toBe(400)
    expect(second.body.error?.message).toContain('100.00 requested')
  })

  it('a busy answer, retried under its key, is sent again and keeps the next refund out', async () => {
    const { id } = await paidOrder()
    await h.sandbox.admin.setFaults({ refundRefused: 'ACQ.SYSTEM_ERROR' }, id)
    expect((await refund(id, '100.00', `K1-${id}`)).status).toBe(502)
    await h.sandbox.admin.setFaults({ dropNotifications: true }, id)
    expect((await refund(id, '100.00', `K1-${id}`)).status).toBe(200)
    expect([400, 409]).toContain((await refund(id, '100.00', `K2-${id}`)).status)
    expect(refundsAtAlipay(id)).toHaveLength(1)
  })

  it('a refusal is final under its key: replayed, never sent again (even after a top-up)', async () => {
    const { id } = await paidOrder()
    await h.sandbox.admin.setFaults({ refundRefused: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' }, id)
    const first = await refund(id, '10.00', `K-${id}`)
    expect([first.status, first.body.error?.code]).toEqual([502, 'ACQ.SELLER_BALANCE_NOT_ENOUGH'])
    await h.sandbox.admin.setFaults({}, id)
    const retry = await refund(id, '10.00', `K-${id}`)
    expect([retry.status, retry.body.error?.code]).toEqual([502, 'ACQ.SELLER_BALANCE_NOT_ENOUGH'])
    expect(refundsAtAlipay(id)).toHaveLength(0)
    // A new request is a new refund.
    expect((await refund(id, '10.00', `K-new-${id}`)).status).toBe(200)
    expect(refundsAtAlipay(id)).toHaveLength(1)
  })

  it("a refund whose notification never came is not counted twice once a later one's total includes it", async () => {
    const { buyer, id } = await paidOrder()
    await h.sandbox.admin.setFaults({ dropNotifications: true }, id)
    expect((await refund(id, '28.00')).status).toBe(200)
    await h.sandbox.admin.setFaults({}, id)
    expect((await refund(id, '10.00')).status).toBe(200)
    await buyer.waitFor(id, (o) => o.refunded === '38.00')
    expect((await refund(id, '90.01')).status).toBe(400)
    expect((await refund(id, '90.00')).status).toBe(200)
  })
})

describe('returns replayed', () => {
  it.each(['page', 'instant'] as const)(
    'a %s return written 300 ways (padding "&") is one log entry',
    async (service) => {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order(service, [{ sku: 'cup', quantity: 1 }])
      await buyer.pay(created as any, { follow: false })
      const href = (/id="return" href="([^"]+)"/.exec(buyer.browser.html)?.[1] ?? '').replaceAll(
        '&amp;',
        '&',
      )
      expect(href).not.toBe('')
      const count = async () =>
        Number(
          (
            await h.store.query<{ n: string }>(
              "select count(*)::bigint as n from akit_notifications where verified and channel = 'return'",
            )
          )[0]?.n,
        )
      const before = await count()
      for (let i = 1; i <= 300; i++) await fetch(href + '&'.repeat(i), { redirect: 'manual' })
      expect((await count()) - before).toBeLessThanOrEqual(1)
    },
  )
})
