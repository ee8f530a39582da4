import type { PaymentEvent } from '@alipay-kit/core'
import type { Queryable } from '../store/types.js'

/** A hook job claimed by this instance. */
export interface HookJobRow {
  readonly id: number | string
  readonly order_id: string
  readonly event_key: string
  readonly event: PaymentEvent
  readonly attempts: number
}

/*
 * Claims due jobs: waiting ones whose retry time has come, and running ones whose instance let
 * the lock expire (it may have died). Rows another instance holds are skipped, not waited for.
 */
const CLAIM = (where: string) => `
  update akit_hook_jobs set state = 'running', attempts = attempts + 1,
    locked_until = now() + make_interval(secs => $2::double precision / 1000)
  where id in (
    select id from akit_hook_jobs
    where ${where}
      and ((state = 'pending' and run_after <= now()) or (state = 'running' and locked_until < now()))
    order by id limit 50 for update skip locked)
  returning id, order_id, event_key, event, attempts`

const CLAIM_FOR_ORDER = CLAIM('order_id = $1')
const CLAIM_ANY = CLAIM('$1::int = 1')

/** Claims up to 50 due jobs (of one order, or of any), for `lockMs`. */
export function claimHookJobs(
  q: Queryable,
  lockMs: number,
  orderId?: string,
): Promise<HookJobRow[]> {
  return orderId === undefined
    ? q.query<HookJobRow>(CLAIM_ANY, [1, lockMs])
    : q.query<HookJobRow>(CLAIM_FOR_ORDER, [orderId, lockMs])
}

/**
 * Records jobs whose hook ran (those still running), through the function the status batch uses
 * too (migration 12): it plans the UPDATE at each call, where a cached plan would keep the one made
 * while the table was new.
 */
export async function markHookJobsDone(
  q: Queryable,
  ids: ReadonlyArray<number | string>,
): Promise<void> {
  await q.query('select akit_finish_hook_jobs($1::bigint[])', [ids.map(String)], 'akit_jobs_done')
}

/** Records a failed try: retried after `retryInMs`, or given up for good. */
export async function markHookJobFailed(
  q: Queryable,
  id: number | string,
  failure: { readonly giveUp: boolean; readonly error: string; readonly retryInMs: number },
): Promise<void> {
  await q.query(
    `update akit_hook_jobs set state = $2, last_error = $3, locked_until = null,
       run_after = now() + make_interval(secs => $4::double precision / 1000)
     where id = $1`,
    [id, failure.giveUp ? 'failed' : 'pending', failure.error.slice(0, 1000), failure.retryInMs],
  )
}
