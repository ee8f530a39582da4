import { describe, expect, it } from 'vitest'
import type { OrderView } from './contract.js'
import {
  createPaymentStatusObserver,
  type EventSourceLike,
  type PageEnvironment,
  type PaymentStatusSnapshot,
} from './payment-status.js'

/* The observer on its own: a scripted BFF and page, no framework, no network. */

function order(phase: OrderView['phase'], extra: Partial<OrderView> = {}): OrderView {
  const paid = phase !== 'waiting' && phase !== 'closed'
  return {
    id: 'AK1',
    phase,
    final: phase === 'closed' || phase === 'finished' || (paid && phase === 'paid'),
    tradeStatus: paid ? 'TRADE_SUCCESS' : 'WAIT_BUYER_PAY',
    refundStatus: null,
    paid,
    shipped: false,
    mode: 'instant',
    service: 'page',
    gateway: 'open',
    subject: '茶',
    amount: '1.00',
    amountFen: 100,
    refunded: '0.00',
    adjustment: null,
    review: null,
    refundFailures: [],
    items: [],
    address: null,
    tradeNo: null,
    confirming: false,
    createdAt: '2026-12-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:30:00.000Z',
    paidAt: paid ? '2026-12-01T00:00:01.000Z' : null,
    updatedAt: `2026-12-01T00:00:0${paid ? 1 : 0}.000Z`,
    ...extra,
  }
}

/** A BFF whose order is whatever `current` is; counts reads. */
function scriptedClient(current: { order: OrderView }) {
  const calls = { reads: 0 }
  return {
    calls,
    client: {
      order: async () => {
        calls.reads++
        return current.order
      },
      orderEventsUrl: (id: string) => `http://bff.example/api/orders/${id}/events`,
    },
  }
}

class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource | undefined
  readonly listeners = new Map<string, Array<(event: { data?: unknown }) => void>>()
  closed = false
  constructor(readonly url: string) {
    FakeEventSource.last = this
  }
  addEventListener(type: string, listener: (event: { data?: unknown }) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }
  emit(type: string, data?: string): void {
    for (const listener of this.listeners.get(type) ?? []) listener({ data })
  }
  close(): void {
    this.closed = true
  }
}

function page(withSse: boolean) {
  let visible = true
  const listeners = new Set<() => void>()
  const environment: PageEnvironment = {
    EventSource: withSse ? FakeEventSource : undefined,
    isVisible: () => visible,
    onVisibilityChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return {
    environment,
    setVisible(next: boolean) {
      visible = next
      for (const listener of listeners) listener()
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function record(observer: {
  getSnapshot(): PaymentStatusSnapshot
  subscribe(l: () => void): () => void
}) {
  const seen: PaymentStatusSnapshot[] = []
  const stop = observer.subscribe(() => seen.push(observer.getSnapshot()))
  return { seen, stop }
}

describe('the payment-status observer', () => {
  it('does nothing until subscribed; polls with backoff; stops for good at a final state', async () => {
    const current = { order: order('waiting') }
    const { client, calls } = scriptedClient(current)
    const observer = createPaymentStatusObserver({
      client,
      orderId: 'AK1',
      options: { pollMs: 20, maxPollMs: 80 },
      page: page(false).environment,
    })
    await sleep(50)
    expect(calls.reads).toBe(0)
    expect(observer.getSnapshot()).toEqual({
      order: undefined,
      transport: 'connecting',
      stalled: false,
      error: null,
    })
    const { seen, stop } = record(observer)
    await sleep(400)
    // 20, 40, 80, 80, 80… ms: about 6 reads, where a fixed 20 ms would make 20.
    expect(calls.reads).toBeGreaterThanOrEqual(4)
    expect(calls.reads).toBeLessThanOrEqual(9)
    expect(observer.getSnapshot().transport).toBe('polling')
    current.order = order('paid')
    await expect.poll(() => observer.getSnapshot().transport, { timeout: 1_000 }).toBe('stopped')
    const atFinal = calls.reads
    await sleep(200)
    expect(calls.reads).toBe(atFinal)
    expect(seen.at(-1)?.order?.phase).toBe('paid')
    // The snapshot is the same object until something changes (useSyncExternalStore needs that).
    expect(observer.getSnapshot()).toBe(observer.getSnapshot())
    stop()
  })

  it('follows server-sent events instead of polling, and falls back to polling when they fail', async () => {
    const current = { order: order('waiting') }
    const { client, calls } = scriptedClient(current)
    const observer = createPaymentStatusObserver({
      client,
      orderId: 'AK1',
      options: { pollMs: 30, accessToken: () => 'tok' },
      page: page(true).environment,
    })
    const { stop } = record(observer)
    const source = FakeEventSource.last as FakeEventSource
    expect(source.url).toBe('http://bff.example/api/orders/AK1/events')
    source.emit('open')
    await sleep(150)
    expect(observer.getSnapshot().transport).toBe('sse')
    const polled = calls.reads
    expect(polled).toBe(1) // the first read only
    source.emit('status', JSON.stringify(order('waiting', { confirming: true })))
    expect(observer.getSnapshot()).toMatchObject({ transport: 'sse', stalled: true })
    source.emit('error')
    expect(source.closed).toBe(true)
    await sleep(150)
    expect(observer.getSnapshot().transport).toBe('polling')
    expect(calls.reads).toBeGreaterThan(polled)
    stop()
  })

  it('pauses while the page is hidden and catches up with one read when it is shown', async () => {
    const current = { order: order('waiting') }
    const { client, calls } = scriptedClient(current)
    const visibility = page(false)
    const observer = createPaymentStatusObserver({
      client,
      orderId: 'AK1',
      options: { pollMs: 25, maxPollMs: 25 },
      page: visibility.environment,
    })
    const { stop } = record(observer)
    await sleep(60)
    visibility.setVisible(false)
    expect(observer.getSnapshot().transport).toBe('paused')
    await sleep(20)
    const hidden = calls.reads
    current.order = order('paid')
    await sleep(150)
    expect(calls.reads).toBe(hidden)
    visibility.setVisible(true)
    await expect.poll(() => observer.getSnapshot().transport, { timeout: 1_000 }).toBe('stopped')
    expect(calls.reads).toBe(hidden + 1)
    stop()
  })

  it('never says "stalled" before the buyer has been to the cashier, however long the page waits', async () => {
    const { client } = scriptedClient({ order: order('waiting') })
    const observer = createPaymentStatusObserver({
      client,
      orderId: 'AK1',
      options: { pollMs: 1_000, stallAfterMs: 50 },
      page: page(false).environment,
    })
    const { stop } = record(observer)
    await expect.poll(() => observer.getSnapshot().order?.phase).toBe('waiting')
    await sleep(300)
    expect(observer.getSnapshot().stalled).toBe(false)
    stop()
  })

  it('says "stalled" after a while without news once the buyer has been to the cashier, and stops everything with the last listener', async () => {
    const current = { order: order('waiting') }
    const { client, calls } = scriptedClient(current)
    let visited = false
    const observer = createPaymentStatusObserver({
      client,
      orderId: 'AK1',
      options: { pollMs: 1_000, stallAfterMs: 80, cashierVisited: () => visited },
      page: page(false).environment,
    })
    const { stop } = record(observer)
    await expect.poll(() => observer.getSnapshot().order?.phase).toBe('waiting')
    expect(observer.getSnapshot().stalled).toBe(false)
    visited = true
    await expect.poll(() => observer.getSnapshot().stalled, { timeout: 1_500 }).toBe(true)
    stop()
    const after = calls.reads
    await sleep(1_200)
    expect(calls.reads).toBe(after)
  })

  it('keeps the last order and reports the error when a read fails', async () => {
    let fail = false
    const observer = createPaymentStatusObserver({
      client: {
        order: async () => {
          if (fail) throw new Error('The shop server could not be reached')
          return order('waiting')
        },
        orderEventsUrl: () => 'http://bff.example/events',
      },
      orderId: 'AK1',
      options: { pollMs: 20, maxPollMs: 20 },
      page: page(false).environment,
    })
    const { stop } = record(observer)
    await expect.poll(() => observer.getSnapshot().order?.phase).toBe('waiting')
    fail = true
    await expect
      .poll(() => observer.getSnapshot().error?.message)
      .toBe('The shop server could not be reached')
    expect(observer.getSnapshot().order?.phase).toBe('waiting')
    fail = false
    await expect.poll(() => observer.getSnapshot().error).toBe(null)
    stop()
  })
})
