import type { OrderRow } from '../orders/view.js'
import type { Queryable } from '../store/types.js'

/**
 * Claims up to `limit` orders due for the sweep (src/jobs/payment-sweep.ts): waiting for payment,
 * not held for review, their next sweep time passed. SKIP LOCKED lets instances claim side by
 * side without waiting on each other; pushing `sweep_next_at` a lease ahead keeps the order this
 * instance's until it writes the real next time (or the lease runs out because it died). Times
 * come from the kit's clock, so a test clock moves the sweep too.
 */
export async function claimDueSweeps(
  q: Queryable,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OrderRow[]> {
  return q.query<OrderRow>(
    `with due as (
       select id from akit_orders
       where trade_status = 'WAIT_BUYER_PAY' and sweep_next_at <= $1 and state->'review' is null
       order by sweep_next_at
       limit $3
       for update skip locked
     )
     update akit_orders o
     set sweep_next_at = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
     from due where o.id = due.id
     returning o.*`,
    [now, leaseMs, limit],
    'akit_sweep_claim',
  )
}

/**
 * Writes when the sweep looks at each order next (null: never again), and whether this pass got
 * an answer from Alipay for it (a failed query is not counted): one statement per claimed batch.
 */
export async function scheduleSweeps(
  q: Queryable,
  outcomes: ReadonlyArray<{
    readonly id: string
    readonly next: Date | null
    readonly answered: boolean
  }>,
): Promise<void> {
  if (outcomes.length === 0) return
  await q.query(
    `update akit_orders o set sweep_next_at = x.next_at,
       sweep_attempts = o.sweep_attempts + case when x.answered then 1 else 0 end
     from jsonb_to_recordset($1::jsonb) as x(id text, next_at timestamptz, answered boolean)
     where o.id = x.id`,
    [JSON.stringify(outcomes.map((o) => ({ id: o.id, next_at: o.next, answered: o.answered })))],
    'akit_sweep_schedule',
  )
}
