import { isAlipayKitError } from '@alipay-kit/core'
import { createTestDatabase, LogCapture, openTestStore } from '@alipay-kit/testing'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import type { KitContext } from '../context.js'
import { migrate } from '../store/migrations.js'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/types.js'
import type { Job } from './job.js'
import { JobScheduler } from './scheduler.js'

/*
 * The one way background work runs (ARCHITECTURE.md, "Add a background job"): queue jobs on every
 * instance, singleton jobs on one instance per period through a lease in the store, one pass at a
 * time per instance, stopped cleanly.
 */

const pg = await createTestDatabase()
afterAll(() => pg?.drop())

/** Just what the scheduler uses of a kit: its store and logger. */
function contextOf(store: Store): KitContext {
  return { store, config: { logger: pino({ level: 'silent' }, new LogCapture()) } } as KitContext
}

function countingJob(scope: Job['scope'], everyMs: number, work = async () => 1) {
  const runs: number[] = []
  const job: Job = {
    name: `counting-${scope}`,
    everyMs,
    scope,
    run: async () => {
      runs.push(Date.now())
      return work()
    },
  }
  return { job, runs }
}

describe.runIf(pg)('jobs across two instances on one PostgreSQL', () => {
  it('a singleton job runs on one instance per period; after the period, the other may take it', async () => {
    const a = await openStore(pg?.url as string)
    const b = await openStore(pg?.url as string)
    await migrate(a)
    try {
      const { job, runs } = countingJob('singleton', 400)
      const onA = new JobScheduler(contextOf(a), [job])
      const onB = new JobScheduler(contextOf(b), [job])
      const first = await Promise.all([onA.run(job.name), onB.run(job.name)])
      expect(first.map((pass) => pass.ran).sort()).toEqual([false, true])
      expect(runs).toHaveLength(1)
      // Within the period, neither runs it again, not even the holder's neighbour.
      const loser = first[0]?.ran ? onB : onA
      expect((await loser.run(job.name)).ran).toBe(false)
      await new Promise((resolve) => setTimeout(resolve, 450))
      expect((await loser.run(job.name)).ran).toBe(true)
      expect(runs).toHaveLength(2)
    } finally {
      await a.close()
      await b.close()
    }
  })

  it('a queue job runs on every instance (its rows are claimed with SKIP LOCKED)', async () => {
    const a = await openStore(pg?.url as string)
    const b = await openStore(pg?.url as string)
    try {
      const { job, runs } = countingJob('queue', 60_000)
      const passes = await Promise.all([
        new JobScheduler(contextOf(a), [job]).run(job.name),
        new JobScheduler(contextOf(b), [job]).run(job.name),
      ])
      expect(passes.map((pass) => pass.ran)).toEqual([true, true])
      expect(runs).toHaveLength(2)
    } finally {
      await a.close()
      await b.close()
    }
  })
})

describe('one instance', () => {
  it('runs one pass of a job at a time, on its interval once started, and stop waits for it', async () => {
    const store = await openTestStore()
    await migrate(store)
    let release: () => void = () => {}
    const { job, runs } = countingJob('queue', 50, async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return 2
    })
    const scheduler = new JobScheduler(contextOf(store), [job])
    const first = scheduler.run(job.name)
    const second = scheduler.run(job.name) // while the first pass is under way
    await new Promise((resolve) => setTimeout(resolve, 20))
    release()
    expect(await first).toEqual({ job: job.name, ran: true, count: 2 })
    expect(await second).toEqual({ job: job.name, ran: false, count: 0 })
    expect(runs).toHaveLength(1)

    scheduler.start()
    await expect.poll(() => runs.length, { timeout: 2_000 }).toBeGreaterThanOrEqual(2)
    const stopping = scheduler.stop()
    release()
    await stopping
    const stoppedAt = runs.length
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(runs.length).toBe(stoppedAt)
    await store.close()
  })

  it('soon: a pass now, or one more right after the pass under way, however often asked; none once stopped', async () => {
    const store = await openTestStore()
    let release: () => void = () => {}
    const { job, runs } = countingJob('queue', 3_600_000, async () => {
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return 1
    })
    const scheduler = new JobScheduler(contextOf(store), [job])
    scheduler.soon(job.name)
    await expect.poll(() => runs.length).toBe(1)
    // Asked three times while it runs: one more pass after it, not three.
    scheduler.soon(job.name)
    scheduler.soon(job.name)
    scheduler.soon(job.name)
    release()
    await expect.poll(() => runs.length).toBe(2)
    release()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(runs).toHaveLength(2)
    await scheduler.stop()
    scheduler.soon(job.name)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(runs).toHaveLength(2)
    await store.close()
  })

  it('a failing pass is reported (and tried again next time), an unknown job refused by name', async () => {
    const store = await openTestStore()
    await migrate(store)
    const { job } = countingJob('queue', 60_000, async () => {
      throw new Error('the merchant’s system is down')
    })
    const scheduler = new JobScheduler(contextOf(store), [job])
    expect(await scheduler.run(job.name)).toEqual({
      job: job.name,
      ran: false,
      count: 0,
      error: 'the merchant’s system is down',
    })
    let thrown: unknown
    try {
      scheduler.run('nightly')
    } catch (error) {
      thrown = error
    }
    expect(isAlipayKitError(thrown, 'MISUSE')).toBe(true)
    expect((thrown as Error).message).toBe('No job "nightly"; the kit\'s jobs are counting-queue')
    await store.close()
  })
})
