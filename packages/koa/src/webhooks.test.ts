import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  type Harness,
  MERCHANT_SECRET,
  openTestStore,
  Shopper,
  startHarness,
  startWebhookReceiver,
  storesUnderTest,
  WEBHOOK_SECRET,
  type WebhookReceiver,
} from '@alipay-kit/testing'
import pgDriver from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from './store/types.js'

/*
 * Signed webhooks (src/jobs/webhook-delivery.ts) over real HTTP to a receiver that verifies them
 * as a merchant's system would (verifyWebhook), on the simulator's test clock: a receiver down
 * for the first hour still gets every event once it is back, in order per order, none lost.
 */

const MINUTE = 60_000
const { stores, pg } = await storesUnderTest()

describe.each(stores)('webhooks on %s', (_name, open) => {
  let h: Harness
  let store: Store
  let receiver: WebhookReceiver
  beforeAll(async () => {
    store = await open()
    receiver = await startWebhookReceiver()
    receiver.state.mode = 'down'
    h = await startHarness({
      store,
      kit: {
        clock: 'sandbox',
        runJobs: false,
        webhooks: { urls: [receiver.url], secret: WEBHOOK_SECRET },
      },
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
      await buyer.payAtSimulator(h.sandbox, created)
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
    receiver.state.mode = 'ok'
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

  it('a resend retried with one Idempotency-Key sends once', async () => {
    const [latest] = (await h.merchant('/webhooks')).body.deliveries as any[]
    const before = receiver.received.length
    const answers = []
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${h.bff.url}/api/merchant/webhooks/${latest.id}/resend`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${MERCHANT_SECRET}`,
          'content-type': 'application/json',
          'idempotency-key': `resend-${latest.id}`,
        },
        body: '{}',
      })
      answers.push([response.status, response.headers.get('idempotent-replayed')])
      await deliver()
    }
    expect(answers).toEqual([
      [200, null],
      [200, 'true'],
      [200, 'true'],
    ])
    expect(receiver.received.length).toBe(before + 1)
  })

  it('a receiver that dies mid-delivery gets the event again on the next try, and keeps it once', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    await fetch(created.payment.url, { redirect: 'manual' })
    receiver.state.mode = 'hang-up'
    await h.sandbox.admin.pay(created.order.id)
    await buyer.waitFor(created.order.id, (o) => o.paid)
    await deliver()
    // It read the event and dropped the connection: no answer, so not delivered.
    expect(receiver.cut).toHaveLength(1)
    const eventId = receiver.cut[0] as string
    expect(eventId.startsWith(`${created.order.id}.`)).toBe(true)
    const mine = async () =>
      ((await h.merchant('/webhooks')).body.deliveries as any[]).find((d) => d.eventId === eventId)
    expect(await mine()).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null })
    expect((await mine()).lastError).toMatch(/^fetch failed: /)
    expect(
      h.logs.lines.some((l) => l.includes('webhook not accepted') && l.includes(eventId)),
    ).toBe(true)
    // Back: not before its retry time (10 s ± 20 %), then once.
    receiver.state.mode = 'ok'
    await deliver()
    expect(receiver.ids().has(eventId)).toBe(false)
    await h.sandbox.admin.advanceClock(15_000)
    await deliver()
    expect(receiver.received.filter((r) => r.event.id === eventId)).toHaveLength(1)
    expect(await mine()).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 })
  })

  it('the event feed has the same events and ids as the webhooks, each order’s in order, page by page', async () => {
    const pages: any[] = []
    let after: string | null = null
    for (;;) {
      const page: { status: number; body: any } = await h.merchant(
        `/events?limit=4${after ? `&after=${after}` : ''}`,
      )
      expect(page.status).toBe(200)
      pages.push(page.body)
      after = page.body.next
      if (!page.body.hasMore) break
    }
    const events = pages.flatMap((p) => p.events)
    expect(pages.slice(0, -1).every((p) => p.events.length === 4)).toBe(true)
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    const deliveries = (await h.merchant('/webhooks?limit=500')).body.deliveries as any[]
    expect(new Set(events.map((e) => e.id))).toEqual(new Set(deliveries.map((d) => d.eventId)))
    // Each order's events in the order its hooks ran; the bodies as the webhooks carry them.
    for (const id of new Set(events.map((e) => e.order.id))) {
      const types = events.filter((e) => e.order.id === id).map((e) => e.type)
      expect(types).toEqual(h.hooksOf(id).map((hook) => `order.${hook.slice(2).toLowerCase()}`))
    }
    const delivered = receiver.received.find((r) => r.event.id === events[0].id)?.event
    expect(Object.keys(events[0]).sort()).toEqual(
      [...Object.keys(delivered ?? {}), 'cursor'].sort(),
    )
    expect(events[0]).toMatchObject({
      id: delivered?.id,
      type: delivered?.type,
      createdAt: delivered?.createdAt,
    })
    // The end: nothing more, and the cursor stays where it was.
    const end = await h.merchant(`/events?after=${after}`)
    expect(end.body).toEqual({ events: [], next: after, hasMore: false })
    const bad = await h.merchant('/events?after=yesterday')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'after' })
  })

  it.skipIf(_name !== 'PostgreSQL')(
    'an event committed late is never skipped: the feed waits until what came before it is final',
    async () => {
      const { body } = await h.merchant('/events?limit=1000')
      const cursor = body.next as string
      const [older] = (await h.merchant('/orders')).body.orders as any[]
      // Another transaction writes an event (it takes its number first) and has not committed.
      const late = new pgDriver.Client({ connectionString: pg?.url })
      await late.connect()
      await late.query('begin')
      await late.query(
        "insert into akit_order_events (order_id, key, event, channel) values ($1, 'late-test', 'review', 'test')",
        [older.id],
      )
      try {
        // Meanwhile an order is paid and commits its event.
        const buyer = new Shopper(h.bff.url)
        const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
        await buyer.payAtSimulator(h.sandbox, created)
        // Not final yet: a transaction older than it still runs, so the feed holds it back.
        const waiting = await h.merchant(`/events?after=${cursor}`)
        expect(waiting.body).toEqual({ events: [], next: cursor, hasMore: false })
        await late.query('commit')
        const ready = await h.merchant(`/events?after=${cursor}`)
        expect(ready.body.events.map((e: any) => [e.order.id, e.type])).toEqual([
          [older.id, 'order.review'],
          [created.order.id, 'order.paid'],
        ])
      } finally {
        await late.end()
      }
    },
  )
})

describe('webhook delivery starts at the commit', () => {
  it('an event reaches the receiver without waiting for the next poll; the Python example verifies it', async () => {
    const store = await openTestStore()
    const receiver = await startWebhookReceiver()
    // Polling once an hour: only the wake after the commit can deliver it in time.
    const h = await startHarness({
      store,
      kit: { webhooks: { urls: [receiver.url], secret: WEBHOOK_SECRET }, webhookPollMs: 3_600_000 },
    })
    try {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await fetch(created.payment.url, { redirect: 'manual' })
      await h.sandbox.admin.pay(created.order.id)
      await expect
        .poll(() => receiver.received.map((r) => r.event.type), { timeout: 5_000 })
        .toEqual(['order.paid'])
      // The Python example (docs/webhooks.md) verifies this real delivery, and refuses it changed.
      const [delivery] = receiver.raw
      const script = fileURLToPath(
        new URL('../../../examples/webhooks/verify_webhook.py', import.meta.url),
      )
      const python = (secret: string, body: string) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          const child = execFile(
            'python3',
            [script, secret, delivery?.signature ?? ''],
            (error, stdout, stderr) =>
              resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
          )
          child.stdin?.end(body)
        })
      const event = receiver.received[0]?.event
      expect(await python(WEBHOOK_SECRET, delivery?.body ?? '')).toEqual({
        code: 0,
        stdout: `order.paid ${event?.id}\n`,
        stderr: '',
      })
      const tampered = (delivery?.body ?? '').replace('"paid":true', '"paid":false')
      expect(tampered).not.toBe(delivery?.body)
      expect((await python(WEBHOOK_SECRET, tampered)).stderr).toMatch(/^signature:/)
      expect((await python('another-secret', delivery?.body ?? '')).stderr).toMatch(/^signature:/)
    } finally {
      await h.close()
      await store.close()
      await receiver.close()
    }
  })
})
