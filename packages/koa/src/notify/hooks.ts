import type { OrderView } from '@alipay-kit/client'
import type { PaymentEvent } from '@alipay-kit/core'
import type { Logger } from 'pino'
import { findOrder } from '../orders/repository.js'
import { type OrderRow, toOrderView } from '../orders/view.js'
import type { Store } from '../store/types.js'

/** What a hook is told: which milestone, its idempotency key, and the order as it stands now. */
export interface HookEvent {
  readonly event: PaymentEvent
  /** Unique per order and transition: use it to make your own side effects idempotent. */
  readonly key: string
  readonly order: OrderView
  /** The Alipay buyer id, when Alipay reported one. */
  readonly buyerId: string | null
}

export type Hook = (event: HookEvent) => void | Promise<void>

/** The merchant's code, run once per transition after it is committed (fulfil, email, restock…). */
export interface Hooks {
  readonly onPaid?: Hook
  readonly onShipped?: Hook
  readonly onFinished?: Hook
  readonly onClosed?: Hook
  readonly onRefundRequested?: Hook
  readonly onRefundRefused?: Hook
  readonly onRefundAgreed?: Hook
  readonly onGoodsReturned?: Hook
  readonly onRefunded?: Hook
  readonly onRefundClosed?: Hook
}

export const HOOK_FOR_EVENT: Readonly<Record<PaymentEvent, keyof Hooks>> = {
  paid: 'onPaid',
  shipped: 'onShipped',
  finished: 'onFinished',
  closed: 'onClosed',
  refund_requested: 'onRefundRequested',
  refund_refused: 'onRefundRefused',
  refund_agreed: 'onRefundAgreed',
  goods_returned: 'onGoodsReturned',
  refunded: 'onRefunded',
  refund_closed: 'onRefundClosed',
}

/** The events some hook listens to: only those get an outbox job. */
export function hookedEvents(hooks: Hooks): Set<string> {
  return new Set(
    (Object.keys(HOOK_FOR_EVENT) as PaymentEvent[]).filter((event) => hooks[HOOK_FOR_EVENT[event]]),
  )
}

interface JobRow {
  id: number | string
  order_id: string
  event_key: string
  event: PaymentEvent
  attempts: number
}

/** A hook job claimed by this instance when its transition was written. */
export interface ClaimedJob {
  readonly id: number | string
  readonly event_key: string
  readonly event: PaymentEvent
  readonly attempts: number
}

const CLAIM = `
  update akit_hook_jobs set state = 'running', attempts = attempts + 1,
    locked_until = now() + make_interval(secs => $2::double precision / 1000)
  where id in (
    select id from akit_hook_jobs
    where %WHERE%
      and ((state = 'pending' and run_after <= now()) or (state = 'running' and locked_until < now()))
    order by id limit 50 for update skip locked)
  returning id, order_id, event_key, event, attempts`

/**
 * Runs hook jobs from the outbox. Each job is claimed by one instance (an atomic UPDATE, row locks
 * skipped by the others), so a hook runs once per transition however many instances and
 * duplicate notifications there are. A hook that throws is retried with backoff up to
 * `maxAttempts`; a job whose instance died mid-run is taken over when its lock expires (the one
 * case where a hook can run twice: make it idempotent with `key`).
 */
export class HookRunner {
  private timer: NodeJS.Timeout | undefined
  private sweeping: Promise<void> | undefined

  constructor(
    private readonly store: Store,
    private readonly hooks: Hooks,
    private readonly logger: Logger,
    private readonly options: { lockMs: number; maxAttempts: number; sweepMs: number },
  ) {}

  /** Runs an order's due jobs now, in the order their transitions happened. */
  async runForOrder(orderId: string): Promise<void> {
    const jobs = await this.store.query<JobRow>(CLAIM.replace('%WHERE%', 'order_id = $1'), [
      orderId,
      this.options.lockMs,
    ])
    await this.runJobs(jobs)
  }

  /**
   * Runs the jobs a transition just wrote (and claimed), with the order as it was written. Their
   * completion is recorded in batches (one UPDATE for whatever finished meanwhile): if the process
   * dies in between, the lock expires and the job runs again, as it would had the hook itself died.
   */
  async runClaimed(order: OrderRow, jobs: readonly ClaimedJob[]): Promise<void> {
    for (const job of jobs) {
      if (await this.runJob({ ...job, order_id: order.id }, order, false)) this.markDone(job.id)
    }
  }

  private readonly finished: string[] = []
  private flushing: Promise<void> | undefined

  private markDone(id: number | string): void {
    this.finished.push(String(id))
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      while (this.finished.length > 0) {
        const ids = this.finished.splice(0, 500)
        await this.store
          .query(
            "update akit_hook_jobs set state = 'done', done_at = now(), locked_until = null where id = any($1::bigint[])",
            [ids],
            'akit_jobs_done',
          )
          .catch((error: Error) =>
            this.logger.warn(
              { err: { message: error.message } },
              'could not record finished hooks; they will run again after their lock',
            ),
          )
      }
      this.flushing = undefined
    })
  }

  /** Runs every due job (failed ones waiting for retry, orphans of a crashed instance). */
  sweep(): Promise<void> {
    this.sweeping ??= (async () => {
      try {
        const jobs = await this.store.query<JobRow>(CLAIM.replace('%WHERE%', '$1::int = 1'), [
          1,
          this.options.lockMs,
        ])
        await this.runJobs(jobs)
      } catch (error) {
        this.logger.warn({ err: { message: (error as Error).message } }, 'hook sweep failed')
      } finally {
        this.sweeping = undefined
      }
    })()
    return this.sweeping
  }

  start(): void {
    this.timer = setInterval(() => void this.sweep(), this.options.sweepMs)
    this.timer.unref()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.sweeping
    await this.flushing
  }

  private async runJobs(jobs: readonly JobRow[]): Promise<void> {
    const ordered = [...jobs].sort((a, b) => Number(a.id) - Number(b.id))
    for (const job of ordered) await this.runJob(job)
  }

  /** Runs one job; returns whether the hook succeeded (and, with `markDone`, records that). */
  private async runJob(job: JobRow, known?: OrderRow, markDone = true): Promise<boolean> {
    const hook = this.hooks[HOOK_FOR_EVENT[job.event]]
    try {
      const order = known ?? (await findOrder(this.store, job.order_id))
      if (!order) throw new Error(`order ${job.order_id} is gone`)
      if (hook)
        await hook({
          event: job.event,
          key: job.event_key,
          order: toOrderView(order),
          buyerId: order.buyer_id,
        })
      if (markDone)
        await this.store.query(
          "update akit_hook_jobs set state = 'done', done_at = now(), locked_until = null where id = $1",
          [job.id],
        )
      this.logger.info(
        { hook: { event: job.event, orderId: job.order_id, attempt: job.attempts } },
        'hook ran',
      )
      return true
    } catch (error) {
      const message = (error as Error).message ?? String(error)
      const giveUp = job.attempts >= this.options.maxAttempts
      const backoffMs = Math.min(60_000 * 2 ** (job.attempts - 1), 3_600_000)
      this.logger.error(
        {
          hook: { event: job.event, orderId: job.order_id, attempt: job.attempts, giveUp },
          err: { message },
        },
        'hook failed',
      )
      await this.store
        .query(
          `update akit_hook_jobs set state = $2, last_error = $3, locked_until = null,
             run_after = now() + make_interval(secs => $4::double precision / 1000)
           where id = $1`,
          [job.id, giveUp ? 'failed' : 'pending', message.slice(0, 1000), backoffMs],
        )
        .catch(() => {}) // the store is gone too: the lock expires and a sweep retries
      return false
    }
  }
}
