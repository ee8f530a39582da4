import type { PaymentEvent } from '@alipay-kit/core'
import type { Logger } from 'pino'
import { type OrderRow, toOrderView } from '../orders/view.js'
import {
  claimHookJobs,
  type HookJobRow,
  markHookJobFailed,
  markHookJobsDone,
} from '../repositories/hook-jobs.js'
import { findOrder } from '../repositories/orders.js'
import type { Store } from '../store/types.js'
import { inSpan } from '../tracing/tracer.js'
import { HOOK_FOR_EVENT, type Hooks } from './hooks.js'

/** Finished jobs recorded by one statement at most. */
const FINISHED_PER_STATEMENT = 500

/**
 * Hook jobs that ran, handed to the status applier so that its next batch records them in the
 * same statement as its transitions (one round trip and one commit fewer per batch under load).
 */
export interface FinishedJobs {
  /** Takes up to 500 finished jobs' ids for the batch about to be written. */
  take(): readonly string[]
  /** Gives back the ids a failed batch took. */
  giveBack(ids: readonly string[]): void
  /** The applier has nothing in flight or queued: record what finished now. */
  idle(): void
}

/** A hook job claimed by this instance when its transition was written. */
export interface ClaimedJob {
  readonly id: number | string
  readonly event_key: string
  readonly event: PaymentEvent
  readonly attempts: number
}

/**
 * Runs hook jobs from the outbox. Each job is claimed by one instance (an atomic UPDATE, row locks
 * skipped by the others), so a hook runs once per transition however many instances and
 * duplicate notifications there are. A hook that throws is retried with backoff up to
 * `maxAttempts`; a job whose instance died mid-run is taken over when its lock expires (the one
 * case where a hook can run twice: make it idempotent with `key`). The periodic sweep is a job
 * (src/jobs/hook-sweep.ts).
 */
export class HookRunner implements FinishedJobs {
  private sweeping: Promise<number> | undefined
  private readonly finished: string[] = []
  private flushing: Promise<void> | undefined

  constructor(
    private readonly store: Store,
    private readonly hooks: Hooks,
    private readonly logger: Logger,
    private readonly options: {
      lockMs: number
      maxAttempts: number
      /**
       * Whether a status batch is in flight or queued: the next one records finished jobs with
       * its own write (FinishedJobs), so none needs a statement of its own under load.
       */
      batchPending?: () => boolean
    },
  ) {}

  /** Runs an order's due jobs now, in the order their transitions happened. */
  async runForOrder(orderId: string): Promise<void> {
    await this.runJobs(await claimHookJobs(this.store, this.options.lockMs, orderId))
  }

  /**
   * Runs the jobs a transition just wrote (and claimed), with the order as it was written. Their
   * completion is recorded in batches: by the next status batch's write when one is coming, else
   * by one UPDATE for whatever finished meanwhile. If the process dies in between, the lock
   * expires and the job runs again, as it would had the hook itself died.
   */
  async runClaimed(order: OrderRow, jobs: readonly ClaimedJob[]): Promise<void> {
    for (const job of jobs) {
      if (await this.runJob({ ...job, order_id: order.id }, order, false)) this.markDone(job.id)
    }
  }

  private markDone(id: number | string): void {
    this.finished.push(String(id))
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      if (!this.options.batchPending?.()) await this.record()
      this.flushing = undefined
    })
  }

  /** Records every finished job now, 500 to a statement. */
  private async record(): Promise<void> {
    while (this.finished.length > 0) {
      const ids = this.finished.splice(0, FINISHED_PER_STATEMENT)
      await markHookJobsDone(this.store, ids).catch((error: Error) =>
        this.logger.warn(
          { err: { message: error.message } },
          'could not record finished hooks; they will run again after their lock',
        ),
      )
    }
  }

  /** FinishedJobs: the ids a status batch records with its write. */
  take(): readonly string[] {
    return this.finished.splice(0, FINISHED_PER_STATEMENT)
  }

  /** FinishedJobs: the batch that took these failed; they are recorded with what comes next. */
  giveBack(ids: readonly string[]): void {
    this.finished.unshift(...ids)
  }

  /** FinishedJobs: no status batch is coming, so what finished meanwhile is recorded now. */
  idle(): void {
    if (this.finished.length === 0) return
    this.flushing ??= this.record().then(() => {
      this.flushing = undefined
    })
  }

  /** Runs every due job (failed ones waiting for retry, orphans of a crashed instance); returns how many ran. */
  sweep(): Promise<number> {
    this.sweeping ??= (async () => {
      try {
        const jobs = await claimHookJobs(this.store, this.options.lockMs)
        await this.runJobs(jobs)
        return jobs.length
      } finally {
        this.sweeping = undefined
      }
    })()
    return this.sweeping
  }

  /** Waits for what is running and for finished jobs to be recorded. */
  async drain(): Promise<void> {
    await this.sweeping?.catch(() => {})
    await this.flushing
    await this.record()
  }

  private async runJobs(jobs: readonly HookJobRow[]): Promise<void> {
    const ordered = [...jobs].sort((a, b) => Number(a.id) - Number(b.id))
    for (const job of ordered) await this.runJob(job)
  }

  /** Runs one job; returns whether the hook succeeded (and, with `markDone`, records that). */
  private async runJob(job: HookJobRow, known?: OrderRow, markDone = true): Promise<boolean> {
    const hook = this.hooks[HOOK_FOR_EVENT[job.event]]
    try {
      const order = known ?? (await findOrder(this.store, job.order_id))
      if (!order) throw new Error(`order ${job.order_id} is gone`)
      if (hook)
        await inSpan(
          'alipay_kit.hook',
          {
            attributes: {
              'alipay_kit.hook': HOOK_FOR_EVENT[job.event],
              'alipay_kit.order_id': job.order_id,
              'alipay_kit.attempt': job.attempts,
            },
          },
          async () =>
            hook({
              event: job.event,
              key: job.event_key,
              order: toOrderView(order),
              buyerId: order.buyer_id,
            }),
        )
      if (markDone) await markHookJobsDone(this.store, [job.id])
      this.logger.info(
        { hook: { event: job.event, orderId: job.order_id, attempt: job.attempts } },
        'hook ran',
      )
      return true
    } catch (error) {
      const message = (error as Error).message ?? String(error)
      const giveUp = job.attempts >= this.options.maxAttempts
      const retryInMs = Math.min(60_000 * 2 ** (job.attempts - 1), 3_600_000)
      this.logger.error(
        {
          hook: { event: job.event, orderId: job.order_id, attempt: job.attempts, giveUp },
          err: { message },
        },
        'hook failed',
      )
      await markHookJobFailed(this.store, job.id, { giveUp, error: message, retryInMs }).catch(
        () => {}, // the store is gone too: the lock expires and a sweep retries
      )
      return false
    }
  }
}
