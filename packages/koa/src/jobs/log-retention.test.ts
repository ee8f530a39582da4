import { openTestStore } from '@alipay-kit/testing'
import { describe, expect, it } from 'vitest'
import type { KitContext } from '../context.js'
import { retentionOf } from '../retention.js'
import { migrate } from '../store/migrations.js'
import { logRetentionJob } from './log-retention.js'

describe('the log-retention job', () => {
  it('drops verified entries past notificationLogDays and unverified ones past refusedLogDays, and keeps the rest', async () => {
    const store = await openTestStore()
    await migrate(store)
    // name, verified, age in days; in id order (a late-committed young row among old ones too).
    const rows: Array<[string, boolean, number]> = [
      ['old-verified', true, 40],
      ['young-among-old', true, 1],
      ['old-verified-2', true, 31],
      ['old-refused', false, 10],
      ['verified-20', true, 20],
      ['refused-4', false, 4],
      ['refused-6', false, 6],
      ['new', true, 0],
    ]
    for (const [name, verified, days] of rows)
      await store.query(
        `insert into akit_notifications (channel, notify_id, outcome, verified, received_at)
         values ('notify', $1, $2, $3, now() - make_interval(days => $4))`,
        [name, verified ? 'applied' : 'rejected', verified, days],
      )
    const job = logRetentionJob()
    expect(job).toMatchObject({ name: 'log-retention', scope: 'singleton' })
    const kit = {
      store,
      config: { retention: retentionOf({ notificationLogDays: 30, refusedLogDays: 5 }) },
    } as unknown as KitContext
    expect(await job.run(kit)).toBe(4)
    const left = await store.query<{ notify_id: string }>(
      'select notify_id from akit_notifications order by id',
    )
    expect(left.map((row) => row.notify_id)).toEqual([
      'young-among-old',
      'verified-20',
      'refused-4',
      'new',
    ])
    expect(await job.run(kit)).toBe(0)
    await store.close()
  })

  it('has documented defaults and refuses nonsense at start-up', () => {
    expect(retentionOf(undefined)).toEqual({
      notificationLogDays: 90,
      refusedLogDays: 7,
      refusedPerMinute: 60,
    })
    expect(() => retentionOf({ refusedLogDays: 0 })).toThrow(/retention.refusedLogDays/)
    expect(() => retentionOf({ notificationLogDays: 1.5 })).toThrow(/whole number/)
  })
})
