import type { KitContext } from '../context.js'
import { chinaDay, reconcileDay } from '../reconcile/reconcile-day.js'
import { dayReconciled } from '../repositories/reconciliations.js'
import type { Job } from './job.js'

/** Alipay's bill of a day is ready the next morning, usually by 9:00 China time. */
const READY_HOUR_CHINA = 10

/**
 * The daily bill (koa README, "The daily bill"): once a day, after the bill is ready, one
 * instance reconciles yesterday; a day without a bill yet (no_bill, failed) is tried again at the
 * next pass. A singleton job: its lease keeps it to one instance per pass.
 */
export function dailyBillJob(everyMs: number): Job {
  return {
    name: 'daily-bill',
    everyMs,
    scope: 'singleton',
    async run(kit: KitContext) {
      if (!kit.gateways.open) return 0
      const now = kit.config.clock()
      if (new Date(now + 8 * 3600_000).getUTCHours() < READY_HOUR_CHINA) return 0
      const yesterday = chinaDay(now - 86_400_000)
      if (await dayReconciled(kit.store, yesterday)) return 0
      await reconcileDay(kit, yesterday)
      return 1
    },
  }
}
