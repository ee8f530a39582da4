import {
  type Harness,
  openEventStream,
  openTestStore,
  Shopper,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RateLimitOptions } from './config.js'
import { createAlipayKit } from './kit.js'
import { type Bucket, redisTokenBuckets, storeTokenBuckets } from './limits/token-buckets.js'
import { catalogPricing } from './pricing.js'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Per-client limits over real HTTP (src/limits): what anyone on the internet can do is bounded per
 * browser and per address, shared by instances, answered 429 with Retry-After; notifications and
 * the merchant API never are.
 */

const MINUTE = 60_000

async function harness(rateLimits: RateLimitOptions, store?: Store) {
  let now = Date.UTC(2026, 11, 2, 2, 0, 10) // ten seconds into a minute
  const h = await startHarness({
    ...(store ? { store } : {}),
    // Refusals are sent at once here, unless a test holds them (see the last describe).
    kit: { rateLimits: { holdRefusalsMs: 0, ...rateLimits }, clock: () => now, runJobs: false },
  })
  return { h, advance: (ms: number) => (now += ms) }
}

async function orderCount(h: Harness): Promise<number> {
  const answer = await fetch(`${h.bff.url}/api/merchant/orders`, {
    headers: { authorization: 'Bearer merchant-secret-for-tests-0123456789' },
  })
  return ((await answer.json()) as { orders: unknown[] }).orders.length
}

describe('order creation limits', () => {
  let h: Harness
  let advance: (ms: number) => number
  beforeAll(async () => {
    ;({ h, advance } = await harness({ orders: { perSession: 3, perIp: 5 } }))
  })
  afterAll(() => h.close())

  it('per browser: the 4th order at once is refused with Retry-After, nothing stored; at its pace it goes through', async () => {
    const buyer = new Shopper(h.bff.url)
    for (let i = 0; i < 3; i++) await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    const before = await orderCount(h)
    const refused = await buyer.browser.fetch(`${h.bff.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
      body: JSON.stringify({ items: [{ sku: 'cup', quantity: 1 }], service: 'page' }),
    })
    expect(refused.status).toBe(429)
    // 3 a minute is one every 20 s, and 3 at once were its burst: the next token comes in 20 s.
    expect(refused.headers.get('retry-after')).toBe('20')
    const body = (await refused.json()) as any
    expect(body.error).toMatchObject({
      code: 'RATE_LIMITED',
      'zh-CN': { cause: '操作太频繁' },
      en: { cause: 'Too many requests from this browser or network' },
    })
    expect(body.error.message).toMatch(
      /Over the limit of 3 per 60 s from this browser \(3 at once\) \(orders\); try again in 20 s/,
    )
    expect(await orderCount(h)).toBe(before)
    advance(19_000)
    expect((await buyer.call('/api/orders', { method: 'POST', body: {} })).status).toBe(429)
    advance(1_000)
    await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
  })

  it('per address: browsers behind one address share its larger limit', async () => {
    const now = advance(MINUTE) // every bucket full again
    const answers: number[] = []
    for (let i = 0; i < 7; i++) {
      const buyer = new Shopper(h.bff.url) // a new browser each time: only the address is shared
      await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
      const { status } = await buyer.call('/api/orders', {
        method: 'POST',
        body: { items: [{ sku: 'cup', quantity: 1 }], service: 'page' },
      })
      answers.push(status)
    }
    expect(answers).toEqual([201, 201, 201, 201, 201, 429, 429])
    // A refusal takes no token: five orders at 12 s each moved the address's TAT 60 s ahead.
    const [row] = await h.store.query<{ ahead: number }>(
      "select tat - $1 as ahead from akit_rate_buckets where key = 'orders:ip:127.0.0.1'",
      [now],
    )
    expect(row?.ahead).toBe(60_000)
  })
})

describe('the pace (token buckets, GCRA)', () => {
  it('a flooding address gets its burst, then one order per token, never a window’s worth at once', async () => {
    const { h, advance } = await harness({ orders: { perSession: 100, perIp: 60 } })
    try {
      const statuses = async (n: number) => {
        const answers: number[] = []
        for (let i = 0; i < n; i++) {
          const buyer = new Shopper(h.bff.url)
          await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
          const answer = await buyer.call('/api/orders', {
            method: 'POST',
            body: { items: [{ sku: 'cup', quantity: 1 }], service: 'page' },
          })
          answers.push(answer.status)
        }
        return answers
      }
      // 60 a minute with the default burstMs (10 s): 10 at once.
      expect(await statuses(12)).toEqual([...Array(10).fill(201), 429, 429])
      advance(1_000) // one token back
      expect(await statuses(2)).toEqual([201, 429])
      advance(5_000) // five more
      expect(await statuses(6)).toEqual([201, 201, 201, 201, 201, 429])
      expect(await orderCount(h)).toBe(16)
    } finally {
      await h.close()
    }
  })
})

describe('what is never limited', () => {
  it('Alipay’s notifications and the merchant API, even when the browser API limit is one a minute', async () => {
    const { h } = await harness({ api: { perSession: 1, perIp: 1 } })
    try {
      const buyer = new Shopper(h.bff.url)
      expect((await buyer.call('/api/session')).status).toBe(200)
      expect((await buyer.call('/api/session')).status).toBe(429)
      for (let i = 0; i < 10; i++) {
        const notify = await fetch(`${h.bff.url}/alipay/notify`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `out_trade_no=AK${i}&sign=forged`,
        })
        expect(notify.status).toBe(400) // refused for its signature, not for its rate
        expect(await notify.text()).toBe('fail')
        expect(await orderCount(h)).toBe(0)
      }
    } finally {
      await h.close()
    }
  })
})

describe('the browser API limit and status streams', () => {
  let h: Harness
  beforeAll(async () => {
    ;({ h } = await harness({
      api: { perSession: 1000, perIp: 1000 },
      streams: { perSession: 2, perIp: 3, total: 4 },
    }))
  })
  afterAll(() => h.close())

  it('caps the streams a browser holds open; a closed one frees its place', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    const url = `${h.bff.url}/api/orders/${created.order.id}/events`
    const headers = { cookie: buyer.cookie }
    const first = await openEventStream(url, headers)
    const second = await openEventStream(url, headers)
    const third = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } })
    expect(third.status).toBe(429)
    expect(third.headers.get('retry-after')).toBe('30')
    expect(((await third.json()) as any).error.code).toBe('TOO_MANY_STREAMS')
    first.close()
    await expect
      .poll(async () => {
        const again = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } })
        const ok = again.status === 200
        await again.body?.cancel()
        return ok
      })
      .toBe(true)
    second.close()
  })
})

const { pg } = await storesUnderTest()

describe('limits shared by instances', () => {
  it(`two BFFs on one store (${pg ? 'PostgreSQL, a pool each' : 'PGlite'}) count one client together`, async () => {
    const shared = pg ? undefined : await openTestStore()
    const stores = shared
      ? [shared, shared]
      : [await openStore(pg?.url as string), await openStore(pg?.url as string)]
    const a = await harness({ orders: { perSession: 100, perIp: 4 } }, stores[0])
    const b = await harness({ orders: { perSession: 100, perIp: 4 } }, stores[1])
    try {
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) {
        const buyer = new Shopper((i % 2 === 0 ? a : b).h.bff.url)
        await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
        const { status } = await buyer.call('/api/orders', {
          method: 'POST',
          body: { items: [{ sku: 'cup', quantity: 1 }], service: 'page' },
        })
        statuses.push(status)
      }
      expect(statuses).toEqual([201, 201, 201, 201, 429, 429])
    } finally {
      await a.h.close()
      await b.h.close()
      for (const store of new Set(stores)) await store?.close()
    }
  })
})

const redisUrl = process.env.ALIPAY_KIT_TEST_REDIS ?? 'redis://127.0.0.1:6379'
const redis = new Redis(redisUrl, {
  lazyConnect: true,
  maxRetriesPerRequest: 1,
  retryStrategy: () => null,
})
const redisUp = await redis.connect().then(
  () => true,
  () => false,
)
if (!redisUp && process.env.CI === 'true')
  throw new Error(`Redis is not reachable at ${redisUrl}; the limits' Redis test needs it under CI`)

describe.skipIf(!redisUp)('limits counted in Redis', () => {
  afterAll(() => redis.quit())

  it('decides as the store does, step for step, and expires a bucket when it is full again', async () => {
    const store = await openTestStore()
    try {
      const inRedis = redisTokenBuckets(redis)
      const inStore = storeTokenBuckets(store)
      const run = `${Date.now()}-${Math.random()}` // keys nobody else uses
      const ip: Bucket = { key: `test:ip:${run}`, emissionMs: 1_000, toleranceMs: 2_000 }
      const sid: Bucket = { key: `test:sid:${run}`, emissionMs: 6_000, toleranceMs: 0 }
      const t0 = 1_800_000_000_000
      // [ms after t0, buckets]: bursts, waits part-way through a token, and idle spells.
      const steps: Array<[number, Bucket[]]> = [
        [0, [ip, sid]],
        [0, [ip, sid]],
        [10, [ip]],
        [20, [ip]],
        [999, [ip]],
        [1_500, [ip, sid]],
        [5_999, [sid]],
        [6_000, [sid, ip]],
        [60_000, [ip, sid]],
      ]
      const fromRedis: number[][] = []
      const fromStore: number[][] = []
      for (const [at, buckets] of steps) {
        const [r, s] = [await inRedis.take(buckets, t0 + at), await inStore.take(buckets, t0 + at)]
        fromRedis.push(buckets.map((bucket) => r.get(bucket.key) as number))
        fromStore.push(buckets.map((bucket) => s.get(bucket.key) as number))
      }
      expect(fromRedis).toEqual(fromStore)
      expect(fromRedis).toEqual([
        [0, 0], // both full
        [0, 6_000], // the browser's one token is gone for 6 s
        [0], // three at once: the burst of 3 (tolerance 2 tokens)
        [980], // the 4th waits for the first token back (at 1 s)
        [1], // 1 ms early
        [0, 4_500], // a token came back at 1 s; the browser still waits
        [1], // 1 ms early
        [0, 0], // the browser's token is back; the address's too
        [0, 0],
      ])
      const ttl = await redis.pttl(`akit:rl:${ip.key}`)
      expect(ttl).toBeGreaterThan(0)
      expect(ttl).toBeLessThanOrEqual(1_000)
    } finally {
      await store.close()
    }
  })

  it('a BFF limiting through Redis', async () => {
    const { h } = await harness({ orders: { perSession: 2, perIp: 100 }, redis })
    try {
      const buyer = new Shopper(h.bff.url)
      await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
      const order = () =>
        buyer.call('/api/orders', {
          method: 'POST',
          body: { items: [{ sku: 'cup', quantity: 1 }], service: 'page' },
        })
      expect([(await order()).status, (await order()).status, (await order()).status]).toEqual([
        201, 201, 429,
      ])
    } finally {
      await h.close()
    }
  })
})

describe('a counter that cannot be reached', () => {
  it('lets requests through (the limits must not take the shop down with them)', async () => {
    const broken = { eval: () => Promise.reject(new Error('connection refused')) }
    const { h } = await harness({ orders: { perSession: 1, perIp: 1 }, redis: broken })
    try {
      const buyer = new Shopper(h.bff.url)
      await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      expect(
        await h.bff.kit.metrics.getSingleMetricAsString('alipay_kit_store_errors_total'),
      ).toMatch(/where="rate-limits"} [1-9]/)
    } finally {
      await h.close()
    }
  })
})

describe('refusals are held (a tarpit for clients that wait for their answers)', () => {
  it('holds a refusal, at most maxHeldRefusals at once, never past the client’s next token', async () => {
    const { h, advance } = await harness({
      orders: { perSession: 1, perIp: 100 },
      holdRefusalsMs: 3_000,
      maxHeldRefusals: 1,
    })
    try {
      const buyer = new Shopper(h.bff.url)
      await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      const tryOrder = async () => {
        const started = performance.now()
        const answer = await buyer.browser.fetch(`${h.bff.url}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
          body: JSON.stringify({ items: [{ sku: 'cup', quantity: 1 }], service: 'page' }),
        })
        return {
          status: answer.status,
          retryAfter: answer.headers.get('retry-after'),
          ms: performance.now() - started,
        }
      }
      // Two refused at once: one is held, the other sent at once (one held at most).
      const both = Promise.all([tryOrder(), tryOrder()])
      const heldNow = async () =>
        (await h.bff.kit.metrics.getSingleMetricAsString('alipay_kit_refusals_held')).match(
          /^alipay_kit_refusals_held (\d+)$/m,
        )?.[1]
      await expect.poll(heldNow).toBe('1')
      const [quick, held] = (await both).sort((a, b) => a.ms - b.ms)
      expect([quick?.status, held?.status]).toEqual([429, 429])
      expect(held?.ms).toBeGreaterThanOrEqual(3_000)
      expect((held?.ms ?? 0) - (quick?.ms ?? 0)).toBeGreaterThan(2_000)
      expect(held?.retryAfter).toBe('60') // one a minute: the next token in 60 s
      expect(await heldNow()).toBe('0')
      // 100 ms before the next token, a refusal is held 100 ms, not 3 s.
      advance(59_900)
      const late = await tryOrder()
      expect(late.status).toBe(429)
      expect(late.retryAfter).toBe('1')
      expect(late.ms).toBeLessThan(2_000)
    } finally {
      await h.close()
    }
  })

  it('refuses a hold that is not a whole number of 0 ms or more, naming the option', async () => {
    const store = await openTestStore()
    try {
      const options = {
        publicUrl: 'https://shop.example',
        store,
        legacy: { partner: '2088000000000001', key: 'k'.repeat(32) },
        pricing: catalogPricing([{ sku: 'cup', name: 'cup', price: '1.00' }]),
        merchantApiSecret: 'merchant-secret-for-tests-0123456789',
      }
      for (const holdRefusalsMs of [-1, 0.5])
        await expect(
          createAlipayKit({ ...options, rateLimits: { holdRefusalsMs } }),
        ).rejects.toMatchObject({
          option: 'rateLimits.holdRefusalsMs',
          message: expect.stringContaining('a whole number of 0 or more'),
        })
      await expect(
        createAlipayKit({ ...options, rateLimits: { burstMs: 0 } }),
      ).rejects.toMatchObject({
        option: 'rateLimits.burstMs',
        message: expect.stringContaining('a whole number above 0'),
      })
    } finally {
      await store.close()
    }
  })
})
