import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook, type WebhookEvent } from '@alipay-kit/client'
import { createTestDatabase, type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Signed webhooks (src/jobs/webhook-delivery.ts) over real HTTP to a receiver that verifies them
 * as a merchant's system would (verifyWebhook), on the simulator's test clock: a receiver down
 * for the first hour still gets every event once it is back, in order per order, none lost.
 */

const SECRET = 'webhook-secret-for-tests-0123456789'
const MINUTE = 60_000
const pg = await createTestDatabase()
const stores: Array<[string, () => Promise<Store>]> = [['PGlite', () => openStore('memory://')]]
if (pg) stores.push(['PostgreSQL', () => openStore(pg.url)])
afterAll(() => pg?.drop())

/** A merchant's receiver: answers 503 while `down`, else verifies, records and answers 200. */
async function startReceiver() {
  const received: Array<{ event: WebhookEvent; at: number }> = []
  const refused: string[] = []
  const state = { down: true, now: () => Date.now() }
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    if (state.down) {
      response.writeHead(503).end('down')
      return
    }
    try {
      const event = await verifyWebhook(
        Buffer.concat(chunks),
        request.headers['alipay-kit-signature'] as string,
        SECRET,
        { nowSec: Math.floor(state.now() / 1000) },
      )
      received.push({ event, at: state.now() })
      response.writeHead(200).end('ok')
    } catch (error) {
      refused.push((error as Error).message)
      response.writeHead(400).end('bad signature')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alipay-kit`,
    received,
    refused,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe.each(stores)('webhooks on %s', (_name, open) => {
  let h: Harness
  let store: Store
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  beforeAll(async () => {
    store = await open()
    receiver = await startReceiver()
    h = await startHarness({
      store,
      kit: { clock: 'sandbox', runJobs: false, webhooks: { urls: [receiver.url], secret: SECRET } },
    })
    receiver.state.now = () => h.sandbox.simulator.now()
  })
  afterAll(async () => {
    await h.close()
    await store.close()
    await receiver.close()
  })
  const deliver = () => h.bff.kit.jobs.run('webhook-delivery')

  it('a receiver down for the first hour gets every event once it is back, in order, none lost', async () => {
    const buyer = new Shopper(h.bff.url)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await fetch(created.payment.url, { redirect: 'manual' })
      await h.sandbox.admin.pay(created.order.id)
      await buyer.waitFor(created.order.id, (o) => o.paid)
      ids.push(created.order.id)
    }
    // One order goes on: refunded in full (paid, then refunded and closed).
    expect((await h.merchant(`/orders/${ids[0]}/refund`, {})).status).toBe(200)
    await buyer.waitFor(ids[0] as string, (o) => o.phase === 'refunded')
    // An hour of retries against a receiver that is down, on the test clock.
    for (let minute = 0; minute < 60; minute += 5) {
      await deliver()
      await h.sandbox.admin.advanceClock(5 * MINUTE)
    }
    expect(receiver.received).toEqual([])
    const { body } = await h.merchant('/webhooks')
    const deliveries = body.deliveries as any[]
    expect(deliveries.length).toBeGreaterThanOrEqual(7)
    expect(deliveries.every((d) => d.state === 'pending')).toBe(true)
    // Each order's first event was tried again and again; its later ones wait behind it.
    for (const id of ids) {
      const mine = deliveries
        .filter((d) => d.orderId === id)
        .sort((a, b) => Number(a.id) - Number(b.id))
      expect(mine[0]).toMatchObject({ type: 'order.paid', lastStatus: 503 })
      expect(mine[0].attempts).toBeGreaterThan(2)
      for (const later of mine.slice(1)) expect(later.attempts).toBe(0)
    }
    // Back: every event arrives, each id once, each order's in the order they happened.
    receiver.state.down = false
    for (let i = 0; i < 10; i++) {
      await h.sandbox.admin.advanceClock(60 * MINUTE)
      await deliver()
      if (
        (await h.merchant('/webhooks')).body.deliveries.every((d: any) => d.state === 'delivered')
      )
        break
    }
    const events = receiver.received.map((r) => r.event)
    expect(receiver.refused).toEqual([])
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    for (const id of ids)
      expect(events.filter((e) => e.order.id === id).map((e) => e.type)[0]).toBe('order.paid')
    const first = events.filter((e) => e.order.id === ids[0]).map((e) => e.type)
    // In the order the kit wrote them to its outbox, as its hooks ran (one transition may
    // record several: closed and refunded).
    const hooked = h.hooksOf(ids[0] as string).map((hook) => `order.${hook.slice(2).toLowerCase()}`)
    expect(first).toEqual(hooked)
    expect(first).toEqual(expect.arrayContaining(['order.paid', 'order.refunded', 'order.closed']))
    expect(events.length).toBe(deliveries.length)
    const after = (await h.merchant('/webhooks')).body.deliveries as any[]
    expect(after.every((d) => d.state === 'delivered' && d.deliveredAt !== null)).toBe(true)
    expect(h.logs.lines.some((l) => l.includes('webhook not accepted'))).toBe(true)
  })

  it('resends one on the merchant’s request, with the same event id', async () => {
    const [latest] = (await h.merchant('/webhooks')).body.deliveries as any[]
    const before = receiver.received.length
    const resent = await h.merchant(`/webhooks/${latest.id}/resend`, {})
    expect(resent.body).toMatchObject({ id: latest.id, state: 'pending' })
    await deliver()
    expect(receiver.received.length).toBe(before + 1)
    expect(receiver.received.at(-1)?.event.id).toBe(latest.eventId)
    expect((await h.merchant('/webhooks/999999/resend', {})).status).toBe(404)
  })
})
