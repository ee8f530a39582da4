import { cleanupJob } from './cleanup.js'
import { dailyBillJob } from './daily-bill.js'
import { hookSweepJob } from './hook-sweep.js'
import type { Job } from './job.js'
import { logRetentionJob } from './log-retention.js'
import { paymentSweepJob } from './payment-sweep.js'
import { webhookDeliveryJob } from './webhook-delivery.js'

/** Every background job of the kit: the one list (ARCHITECTURE.md, "Add a background job"). */
export function kitJobs(options: {
  readonly hookSweepMs: number
  readonly sweepMs: number
  readonly webhookPollMs: number
}): Job[] {
  return [
    hookSweepJob(options.hookSweepMs),
    paymentSweepJob(options.sweepMs),
    dailyBillJob(3_600_000),
    webhookDeliveryJob(options.webhookPollMs),
    cleanupJob(),
    logRetentionJob(),
  ]
}
