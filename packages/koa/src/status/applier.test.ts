import { initialPaymentState } from '@alipay-kit/core'
import { openTestStore } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrderEvents } from '../events/bus.js'
import type { FinishedJobs } from '../hooks/runner.js'
import { findOrder, insertOrder } from '../repositories/orders.js'
import type { Queryable, Store } from '../store/types.js'
import { type ApplyResult, StatusApplier, type StatusUpdate } from './applier.js'

/*
 * The applier's batch statement (repositories/status-batch.ts) on a real store: the order it
 * hands back is the row as stored, one NOTIFY reaches the subscribers of every order in the
 * batch, and the hook jobs that ran since the last batch are recorded done by the batch's own
 * write (given back if that write fails).
 */

let store: Store
beforeAll(async () => {
  store = await openTestStore()
})
afterAll(() => store.close())

let next = 0
async function newOrder(): Promise<string> {
  const id = `APPLIERTEST${String(next++).padStart(4, '0')}${Date.now().toString(36)}`
  const now = new Date()
  await insertOrder(store, {
    id,
    accessTokenHash: 'x',
    gateway: 'open',
    service: 'page',
    userId: undefined,
    sessionHash: undefined,
    subject: '龙井 250g',
    amountFen: 12_800,
    items: [],
    address: null,
    state: initialPaymentState('instant'),
    createdAt: now,
    expiresAt: new Date(now.getTime() + 30 * 60_000),
    sweepAt: new Date(now.getTime() + 60_000),
  })
  return id
}

function paid(orderId: string): StatusUpdate {
  return {
    gateway: 'open',
    channel: 'notify',
    orderId,
    notifyId: `notify-${orderId}`,
    report: { tradeStatus: 'TRADE_SUCCESS' },
    amountFen: 12_800,
    tradeNo: `2026120222001${orderId.slice(-6)}`,
    buyerId: '2088102177846880',
    refundFen: undefined,
    params: {
      out_trade_no: orderId,
      trade_status: 'TRADE_SUCCESS',
      gmt_payment: '2026-12-02 10:00:00',
    },
  }
}

/** A FinishedJobs that hands out the ids it is given and records what comes back. */
function finishedJobs(ids: string[]) {
  const calls = { given: [] as string[][], idle: 0 }
  const jobs: FinishedJobs = {
    take: () => ids.splice(0),
    giveBack: (back) => {
      calls.given.push([...back])
    },
    idle: () => {
      calls.idle++
    },
  }
  return { jobs, calls }
}

function applier(q: Store, finished?: FinishedJobs) {
  return new StatusApplier(q, new Set(['paid']), {
    hookLockMs: 60_000,
    maxBatch: 64,
    parallel: 2,
    clock: Date.now,
    webhookUrls: [],
    ...(finished ? { finishedJobs: finished } : {}),
  })
}

const jobStates = (ids: readonly (string | number)[]) =>
  store.query<{ id: string; state: string; done_at: unknown }>(
    'select id::text, state, done_at from akit_hook_jobs where id = any($1::bigint[]) order by id',
    [ids.map(String)],
  )

function applied(result: ApplyResult) {
  if (result.outcome !== 'applied') throw new Error(`expected applied, got ${result.outcome}`)
  return result
}

describe('the status applier on a real store', () => {
  it('hands back each order exactly as the batch stored it', async () => {
    const ids = [await newOrder(), await newOrder(), await newOrder()]
    const results = await Promise.all(ids.map((id) => applier(store).apply(paid(id))))
    for (const [i, result] of results.entries()) {
      const { order } = applied(result)
      const stored = await findOrder(store, ids[i] as string)
      const comparable = (row: object) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [
            key,
            key.endsWith('_at') && value !== null ? new Date(value as string).getTime() : value,
          ]),
        )
      expect(comparable(order)).toEqual(comparable(stored as object))
      expect(order.version).toBe(1) // inserted at 0, one transition
      expect(order.trade_status).toBe('TRADE_SUCCESS')
      expect(order.state.paid).toBe(true)
    }
  })

  it('sends one NOTIFY per batch that reaches the subscribers of every order in it', async () => {
    const events = new OrderEvents(store, (await import('pino')).pino({ level: 'silent' }))
    await events.start()
    try {
      const ids = [await newOrder(), await newOrder(), await newOrder()]
      const heard: string[] = []
      for (const id of ids) events.subscribe(id, () => heard.push(id))
      const one = applier(store)
      await Promise.all(ids.map((id) => one.apply(paid(id)))) // queued together: one batch
      await expect.poll(() => [...heard].sort(), { timeout: 5_000 }).toEqual([...ids].sort())
    } finally {
      await events.stop()
    }
  })

  it('records the hook jobs that ran since the last batch with its own write', async () => {
    const first = applied(await applier(store).apply(paid(await newOrder())))
    const jobIds = first.jobs.map((job) => String(job.id))
    expect(jobIds).toHaveLength(1)
    expect((await jobStates(jobIds)).map((j) => j.state)).toEqual(['running'])

    const { jobs, calls } = finishedJobs([...jobIds])
    const second = applier(store, jobs)
    applied(await second.apply(paid(await newOrder())))
    const [job] = await jobStates(jobIds)
    expect(job?.state).toBe('done')
    expect(job?.done_at).not.toBeNull()
    expect(calls.given).toEqual([])
    expect(calls.idle).toBe(1) // nothing else queued: told so once the batch was done
  })

  it('records done only jobs still running (one given up meanwhile stays failed)', async () => {
    const one = applier(store)
    const [a, b] = await Promise.all([
      one.apply(paid(await newOrder())),
      one.apply(paid(await newOrder())),
    ])
    const jobIds = [...applied(a).jobs, ...applied(b).jobs].map((job) => String(job.id))
    expect(jobIds).toHaveLength(2)
    await store.query("update akit_hook_jobs set state = 'failed' where id = $1", [jobIds[1]])
    const { jobs } = finishedJobs([...jobIds])
    applied(await applier(store, jobs).apply(paid(await newOrder())))
    const states = Object.fromEntries((await jobStates(jobIds)).map((j) => [j.id, j.state]))
    expect(states).toEqual({ [jobIds[0] as string]: 'done', [jobIds[1] as string]: 'failed' })
  })

  it('gives the finished jobs back when the batch cannot be written', async () => {
    const first = applied(await applier(store).apply(paid(await newOrder())))
    const jobIds = first.jobs.map((job) => String(job.id))
    const failing: Store = {
      ...store,
      query: ((sql: string, params?: readonly unknown[], name?: string) =>
        name === 'akit_write_batch'
          ? Promise.reject(new Error('connection lost'))
          : store.query(sql, params, name)) as Queryable['query'],
    }
    const { jobs, calls } = finishedJobs([...jobIds])
    await expect(applier(failing, jobs).apply(paid(await newOrder()))).rejects.toThrow(
      'connection lost',
    )
    expect(calls.given).toEqual([jobIds])
    expect((await jobStates(jobIds)).map((j) => j.state)).toEqual(['running'])
  })
})
