import { md5Sign } from '@alipay-kit/core'
import { type Harness, SAMPLE_ADDRESS, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * What Alipay tells the shop about refunds and about amounts it changed, through the BFF over real
 * HTTP against the simulator (docs/protocol.md, "Legacy refunds" and "Amounts Alipay changes"):
 * a legacy refund's result arrives as batch_refund_notify to the refund's notify_url; a refused
 * refund reaches the merchant (log, order view, onRefundFailed); an amount the notification
 * explains is accepted, one it does not holds the order for review.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const shopper = () => new Shopper(h.bff.url)
const merchant = <T = any>(path: string, body?: unknown) => h.merchant<T>(path, body)
const hooksOf = (orderId: string) => h.hooksOf(orderId)
const batchesOf = (orderId: string) =>
  h.sandbox.simulator.deliveries
    .list(orderId)
    .filter((d) => d.params.notify_type === 'batch_refund_notify')

async function paidOrder(service: 'instant' | 'page' | 'escrow' = 'instant') {
  const buyer = shopper()
  const created = await buyer.order(
    service,
    [{ sku: 'tea-longjing', quantity: 1 }],
    service === 'escrow' ? SAMPLE_ADDRESS : undefined,
  )
  await buyer.pay(created)
  await buyer.waitFor(created.order.id, (o) => o.paid)
  return { buyer, id: created.order.id }
}

describe('legacy refunds: the batch result is what records them', () => {
  it('a partial refund, then the rest: each recorded once from its result, amounts exact', async () => {
    const { buyer, id } = await paidOrder()
    expect((await merchant(`/orders/${id}/refund`, { amount: '28.00' })).status).toBe(200)
    const partly = await buyer.waitFor(id, (o) => o.refunded === '28.00')
    expect(partly).toMatchObject({ phase: 'refunded', tradeStatus: 'TRADE_SUCCESS' })
    expect((await merchant(`/orders/${id}/refund`, {})).status).toBe(200)
    const done = await buyer.waitFor(id, (o) => o.tradeStatus === 'TRADE_CLOSED')
    expect(done).toMatchObject({ refunded: '128.00', refundStatus: 'REFUND_SUCCESS', final: true })
    // Both results came to the notify URL as batch_refund_notify, and were answered success.
    await h.sandbox.simulator.deliveries.settle()
    const batches = batchesOf(id)
    expect(batches.map((d) => d.params.result_details?.split('^').slice(1))).toEqual([
      ['28.00', 'SUCCESS'],
      ['100.00', 'SUCCESS'],
    ])
    expect(batches.map((d) => d.attempts.at(-1)?.answer)).toEqual(['success', 'success'])
    // The trade's own notifications (REFUND_SUCCESS, gmt_refund) did not count a third refund.
    expect(hooksOf(id)).toEqual(['onPaid', 'onRefunded', 'onClosed', 'onRefunded'])
    expect((await merchant(`/orders/${id}/refund`, {})).status).toBe(409)
  })

  it('a refund Alipay refuses reaches the merchant: log, order view, onRefundFailed, once', async () => {
    const { buyer, id } = await paidOrder()
    await h.sandbox.admin.setFaults({ refundRefused: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH' }, id)
    const before = h.logs.lines.length
    expect((await merchant(`/orders/${id}/refund`, { amount: '10.00' })).status).toBe(200)
    const order = await buyer.waitFor(id, (o) => o.refundFailures.length > 0)
    expect(order).toMatchObject({
      phase: 'paid',
      refunded: '0.00',
      refundFailures: [
        {
          id: expect.stringMatching(/^batch-\d{8}/),
          amount: '10.00',
          code: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH',
        },
      ],
    })
    await h.sandbox.simulator.deliveries.settle()
    expect(batchesOf(id).map((d) => d.attempts.at(-1)?.answer)).toEqual(['success'])
    expect(hooksOf(id)).toEqual(['onPaid', 'onRefundFailed'])
    const logged = h.logs.lines.slice(before).find((line) => line.includes('refund refused'))
    expect(logged).toContain('TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH')
    expect(logged).toContain('top it up')
    // Sent again (Alipay retries until success): nothing new.
    const [delivery] = batchesOf(id)
    const again = await fetch(`${h.bff.url}/alipay/notify/legacy`, {
      method: 'POST',
      headers: { 'content-type': delivery?.contentType ?? '' },
      body: delivery?.body ?? '',
    })
    expect(await again.text()).toBe('success')
    expect(hooksOf(id)).toEqual(['onPaid', 'onRefundFailed'])
  })

  it('a result for a trade the shop does not know is answered fail, so Alipay sends it again', async () => {
    const c = h.sandbox.credentials
    const fields = {
      notify_time: '2026-12-01 12:00:00',
      notify_type: 'batch_refund_notify',
      notify_id: h.sandbox.simulator.issueNotifyId(60_000),
      batch_no: '20261201UNKNOWN1',
      success_num: '1',
      result_details: '2026120122001000000000000099^1.00^SUCCESS',
    }
    const body = new URLSearchParams({
      ...fields,
      sign: md5Sign(fields, c.key, 'utf-8'),
      sign_type: 'MD5',
    })
    const response = await fetch(`${h.bff.url}/alipay/notify/legacy`, { method: 'POST', body })
    expect([response.status, await response.text()]).toEqual([400, 'fail'])
    const { body: log } = await merchant('/notifications?outcome=rejected')
    expect(log.notifications.filter((n: any) => n.notifyId === fields.notify_id)).toMatchObject([
      { code: 'UNKNOWN_TRADE', reason: expect.stringContaining('2026120122001000000000000099') },
    ])
  })

  it('an escrow payment is not refunded through the batch refund: 409 saying how it is', async () => {
    const { id } = await paidOrder('escrow')
    const refused = await merchant(`/orders/${id}/refund`, {})
    expect(refused.status).toBe(409)
    expect(JSON.stringify(refused.body)).toContain('The buyer asks for the refund at Alipay')
  })
})

describe('Open Platform: a refused refund is recorded too', () => {
  it('502 with the catalog entry, the failure on the order, onRefundFailed once', async () => {
    const { buyer, id } = await paidOrder('page')
    await h.sandbox.admin.setFaults({ refundRefused: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' }, id)
    const refused = await merchant(`/orders/${id}/refund`, { amount: '1.00' })
    expect(refused.status).toBe(502)
    expect(refused.body.error.code).toBe('ACQ.SELLER_BALANCE_NOT_ENOUGH')
    expect(await buyer.orderView(id)).toMatchObject({
      phase: 'paid',
      refundFailures: [{ amount: '1.00', code: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' }],
    })
    expect(hooksOf(id)).toEqual(['onPaid', 'onRefundFailed'])
  })
})

describe('gateway answers as documented', () => {
  it('reads alipay.trade.query’s amounts written as JSON numbers (its documented example)', async () => {
    const buyer = shopper()
    const created = await buyer.order('page', [{ sku: 'tea-longjing', quantity: 1 }])
    const id = created.order.id
    // Notifications held: only the BFF's own query can tell it the order is paid.
    await h.sandbox.admin.setFaults({ reorder: true, numericAmounts: true }, id)
    await buyer.pay(created, { follow: false })
    const queried = await merchant(`/orders/${id}/query`, {})
    expect(queried.status, JSON.stringify(queried.body)).toBe(200)
    expect(queried.body).toMatchObject({ paid: true, amount: '128.00', review: null })
    await h.sandbox.admin.release(id)
  })
})

describe('amounts Alipay legitimately changes', () => {
  it('a seller-adjusted price (is_total_fee_adjust=Y) is paid, with the adjustment shown', async () => {
    const buyer = shopper()
    const created = await buyer.order(
      'escrow',
      [{ sku: 'tea-longjing', quantity: 1 }],
      SAMPLE_ADDRESS,
    )
    const id = created.order.id
    await buyer.browser.open(created.payment.url)
    await h.sandbox.admin.adjustPrice(id, '100.00')
    await h.sandbox.admin.pay(id)
    const order = await buyer.waitFor(id, (o) => o.paid)
    expect(order).toMatchObject({
      phase: 'paid',
      amount: '128.00',
      review: null,
      adjustment: {
        reason: 'PRICE_ADJUSTED',
        charged: '100.00',
        detail: expect.stringContaining('is_total_fee_adjust=Y'),
      },
    })
    expect(hooksOf(id)).toEqual(['onPaid'])
  })
})
