import { Shopper, startHarness } from '@alipay-kit/testing'
import { describe, expect, it } from 'vitest'

/*
 * A hook job that ran is recorded `done` (hooks/runner.ts, one UPDATE for whatever finished
 * meanwhile): a job left `running` would run again when its lock expires.
 */

describe('hooks run by notifications', () => {
  it('end done, each hook once, whether they finish together or alone', async () => {
    const h = await startHarness()
    try {
      // Several orders paid at once (their jobs finish together), then one alone.
      const ids: string[] = []
      for (let i = 0; i < 6; i++) {
        const created = await new Shopper(h.bff.url).order('page')
        await fetch(created.payment.url, { redirect: 'manual' })
        ids.push(created.order.id)
      }
      await Promise.all(ids.slice(0, 5).map((id) => h.sandbox.admin.pay(id)))
      await h.sandbox.admin.pay(ids[5] as string)
      const jobs = () =>
        h.store.query<{ state: string }>(
          'select state from akit_hook_jobs where order_id = any($1::text[])',
          [ids],
        )
      await expect
        .poll(async () => (await jobs()).map((j) => j.state).sort(), { timeout: 10_000 })
        .toEqual(Array(6).fill('done'))
      expect(
        h.hookLog
          .filter((c) => c.hook === 'onPaid')
          .map((c) => c.orderId)
          .sort(),
      ).toEqual([...ids].sort())
    } finally {
      await h.close()
    }
  })
})
