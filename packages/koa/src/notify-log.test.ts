import { type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/* The notify route's log: one line per notification (its outcome), no request line besides. */

describe('logging of notifications', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(() => h.close())

  it('writes one line per notification and none per notify request; other requests keep theirs', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    await h.sandbox.admin.setFaults({ duplicates: 3 }, created.order.id)
    await buyer.payAtSimulator(h.sandbox, created)
    // Three deliveries answered: three notification lines (each written before its answer).
    const notificationLinesOf = (lines: any[]) =>
      lines.filter((l) => l.msg === 'notification' && l.notification?.orderId === created.order.id)
    const parsed = () => h.logs.lines.map((line) => JSON.parse(line))
    await expect.poll(() => notificationLinesOf(parsed()).length).toBe(3)
    const lines = parsed()
    const notificationLines = notificationLinesOf(lines)
    expect(notificationLines.map((l) => l.notification.outcome).sort()).toEqual([
      'applied',
      'duplicate',
      'duplicate',
    ])
    expect(lines.filter((l) => l.msg === 'request' && l.req?.path === '/alipay/notify')).toEqual([])
    expect(lines.some((l) => l.msg === 'request' && l.req?.path === '/api/orders')).toBe(true)
  })
})
