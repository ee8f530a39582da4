import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import {
  type Bff,
  createTestDatabase,
  LogCapture,
  MERCHANT_SECRET,
  Shopper,
  startBff,
  startWebhookReceiver,
  WEBHOOK_SECRET,
  type WebhookReceiver,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { claimWebhookDeliveries } from './repositories/webhook-deliveries.js'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Webhook delivery from two instances on one PostgreSQL (src/jobs/webhook-delivery.ts): the
 * claim (FOR UPDATE SKIP LOCKED, a lease) gives each delivery to one instance, so a receiver never
 * holds one event twice at once; an instance that dies holding deliveries leaves them to the
 * other once its lease runs out.
 */

const pg = await createTestDatabase()
afterAll(() => pg?.drop())

describe.skipIf(!pg)('webhooks from two instances', () => {
  let sandbox: RunningSandbox
  let stores: Store[]
  let receiver: WebhookReceiver
  const logs = [new LogCapture(), new LogCapture()]
  let a: Bff
  let b: Bff
  beforeAll(async () => {
    sandbox = await startSandbox()
    receiver = await startWebhookReceiver()
    receiver.state.now = () => sandbox.simulator.now()
    stores = [await openStore(pg?.url as string), await openStore(pg?.url as string)]
    const kit = {
      clock: 'sandbox' as const,
      runJobs: false,
      webhooks: { urls: [receiver.url], secret: WEBHOOK_SECRET },
    }
    a = await startBff(sandbox, stores[0] as Store, { kit, logs: logs[0] as LogCapture })
    b = await startBff(sandbox, stores[1] as Store, { kit, logs: logs[1] as LogCapture })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    for (const store of stores ?? []) await store.close()
    await receiver?.close()
    await sandbox?.close()
  })
  const deliveries = async () =>
    (
      (await (
        await fetch(`${a.url}/api/merchant/webhooks?limit=500`, {
          headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
        })
      ).json()) as { deliveries: any[] }
    ).deliveries

  it('never deliver one event at once: each arrives once, an order’s in order, both instances sharing the work', async () => {
    const ids: string[] = []
    for (let i = 0; i < 60; i++) {
      const via = i % 2 === 0 ? a : b
      const buyer = new Shopper(via.url)
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await buyer.payAtSimulator(sandbox, created)
      ids.push(created.order.id)
    }
    // A third of them refunded in full: three more events each (refunded, closed…), after paid.
    for (const id of ids.filter((_, i) => i % 3 === 0)) {
      const refund = await fetch(`${b.url}/api/merchant/orders/${id}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MERCHANT_SECRET}`, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(refund.status).toBe(200)
    }
    const deadline = Date.now() + 10_000
    while ((await deliveries()).filter((d) => d.type !== 'order.paid').length < 20) {
      if (Date.now() > deadline) throw new Error('refund events did not arrive')
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    // Each instance runs delivery passes on its own, back to back, against a receiver that
    // holds each delivery a while: one claims while the other is sending.
    const total = (await deliveries()).length
    receiver.state.delayMs = 15
    const until = Date.now() + 30_000
    const passes = async (bff: Bff) => {
      while (receiver.received.length < total && Date.now() < until) {
        await bff.kit.jobs.run('webhook-delivery')
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    }
    await Promise.all([passes(a), passes(b)])
    const all = await deliveries()
    expect(all).toHaveLength(total)
    expect(all.every((d) => d.state === 'delivered' && d.attempts === 1)).toBe(true)
    expect(receiver.state.maxInFlight).toBe(1)
    expect(receiver.received).toHaveLength(all.length)
    expect(receiver.ids().size).toBe(all.length)
    // Each order's events arrived in the order they were written.
    for (const id of ids) {
      const written = all
        .filter((d) => d.orderId === id)
        .sort((x, y) => Number(x.id) - Number(y.id))
        .map((d) => d.eventId)
      const arrived = receiver.received
        .filter((r) => r.event.order.id === id)
        .map((r) => r.event.id)
      expect(arrived).toEqual(written)
    }
    const delivered = logs.map((l) => l.lines.filter((x) => x.includes('webhook delivered')).length)
    expect((delivered[0] ?? 0) + (delivered[1] ?? 0)).toBe(all.length)
    expect(delivered[0]).toBeGreaterThan(0)
    expect(delivered[1]).toBeGreaterThan(0)
  })

  it('deliveries held by an instance that died go to the other once their lease runs out', async () => {
    const buyer = new Shopper(a.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    await buyer.payAtSimulator(sandbox, created)
    // An instance claims the delivery and dies before sending it (or before writing the outcome).
    const claimed = await claimWebhookDeliveries(
      stores[0] as Store,
      new Date(sandbox.simulator.now()),
      60_000,
      50,
    )
    expect(claimed.map((d) => d.order_id)).toEqual([created.order.id])
    expect((await b.kit.jobs.run('webhook-delivery')).count).toBe(0)
    expect(receiver.received.some((r) => r.event.order.id === created.order.id)).toBe(false)
    await sandbox.admin.advanceClock(61_000)
    expect((await b.kit.jobs.run('webhook-delivery')).count).toBe(1)
    expect(receiver.received.filter((r) => r.event.order.id === created.order.id)).toHaveLength(1)
  })
})
