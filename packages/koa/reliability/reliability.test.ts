import { ADMIN_URL, createTestDatabase } from '@alipay-kit/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { crashMidBurst, databaseGone, duplicateStorm } from './faults.mjs'
import { hostileInput } from './fuzz.mjs'

/*
 * Faults survived, in the bounded form the test command runs (`pnpm bench` runs them full size).
 * Real processes, a real PostgreSQL, the simulator over HTTP, a load balancer in front.
 */

const pg = await createTestDatabase()
afterAll(() => pg?.drop())

describe.skipIf(!pg)('faults survived', () => {
  it('duplicate storm: 200 notifications × 5 copies over two instances: 200 transitions, 200 onPaid, one order.paid webhook each, all `success`', async () => {
    const report = await duplicateStorm({ pgUrl: pg?.url as string, orders: 200, copies: 5 })
    expect(report.settled).toBe(true)
    expect(report.deliveries).toBe(1000)
    expect(report.tries).toEqual({ '200 success': 1000 })
    expect(report.fiveHundreds).toBe(0)
    expect(report.paidTransitions).toBe(200)
    expect(report.hookCalls).toBe(200)
    expect(report.ordersWithHookCall).toBe(200)
    expect(report.halfApplied).toBe(0)
    expect(report.spread.forwarded).toBeGreaterThan(1000) // both instances took their share
    // The merchant's webhook receiver: exactly one order.paid id per order, every one delivered.
    expect(report.webhooksArrived).toBe(true)
    expect(report.ordersWithOnePaidEvent).toBe(200)
    expect(report.webhookRefused).toBe(0)
    expect(report.webhooksPending).toBe(0)
    expect(report.webhookEventIds).toBe(200)
  })

  it('crash mid-burst: kill -9 one instance; retries bring every order to paid, none twice, none half-applied', async () => {
    const report = await crashMidBurst({ pgUrl: pg?.url as string, orders: 100 })
    expect(report.settled).toBe(true)
    expect(report.paidOrders).toBe(100)
    expect(report.paidTransitions).toBe(100)
    expect(report.halfApplied).toBe(0)
    expect(report.hookJobsDone).toBe(report.hookJobs)
    expect(report.ordersWithHookCall).toBe(100)
    // A hook that was running in the killed process runs again on the other: at least once, never lost.
    expect(report.hookCalls - 100).toBe(report.hookRanTwice)
  })

  it('database gone: notify answers fail, the BFF stays up and says why, and all converges after', async () => {
    const report = await databaseGone({ pgUrl: pg?.url as string, orders: 20, outageMs: 3_000 })
    expect(report.aliveDuring).toBe(true)
    expect(report.healthDuring.status).toBe(503)
    expect(report.healthDuring.body.ok).toBe(false)
    expect(report.healthDuring.body.store).toBe('postgres: unreachable')
    expect(report.paidDuring).toBe(0)
    expect(Object.keys(report.duringTries).every((answer) => answer === '503 fail')).toBe(true)
    expect(report.settled).toBe(true)
    expect(report.healthAfter).toEqual({ ok: true, store: 'postgres: ok' })
    expect(report.paidOrders).toBe(20)
    expect(report.paidTransitions).toBe(20)
    expect(report.hookCalls).toBe(20)
    expect(report.halfApplied).toBe(0)
  })
})

describe.skipIf(!pg)('hostile input', () => {
  it('2,000 generated requests to every route: no 5xx, no crash, memory flat, nothing of the business changed', async () => {
    const report = await hostileInput({ adminUrl: ADMIN_URL, count: 2_000 })
    expect(report.fiveHundreds).toEqual([])
    expect(report.errors).toEqual({})
    expect(report.alive).toBe(true)
    expect(report.businessUnchanged).toBe(true)
    expect(report.heapEndMb - report.heapStartMb).toBeLessThan(20)
    expect(Object.keys(report.statuses).length).toBeGreaterThan(4) // the generator reaches many answers
  })
})
