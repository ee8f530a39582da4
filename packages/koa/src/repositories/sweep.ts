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
 * Writes when the sweep looks at an order next (null: never again), and whether this pass got an
 * answer from Alipay (a failed query is not counted).
 */
export async function scheduleSweep(
  q: Queryable,
  id: string,
  next: Date | null,
  answered: boolean,
): Promise<void> {
  await q.query(
    `update akit_orders set sweep_next_at = $2, sweep_attempts = sweep_attempts + $3 where id = $1`,
    [id, next, answered ? 1 : 0],
    'akit_sweep_schedule',
  )
}

/** How many orders wait for payment and when the next is due (the merchant API, the bench). */
export async function sweepBacklog(
  q: Queryable,
  now: Date,
): Promise<{ waiting: number; due: number }> {
  const [row] = await q.query<{ waiting: string; due: string }>(
    `select count(*) as waiting, count(*) filter (where sweep_next_at <= $1) as due
     from akit_orders where trade_status = 'WAIT_BUYER_PAY' and state->'review' is null`,
    [now],
  )
  return { waiting: Number(row?.waiting ?? 0), due: Number(row?.due ?? 0) }
}
