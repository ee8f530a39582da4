import { ORDER_CHANNEL, ORDER_ID_SEPARATOR } from '../events/channel.js'
import type { ClaimedJob } from '../hooks/runner.js'
import type { OrderRow } from '../orders/view.js'
import type { Queryable } from '../store/types.js'

/*
 * One statement writes a whole batch of status changes, so each transition commits whole or not
 * at all: an order is updated only if its version is still the one its decision was made on
 * (compare-and-set); the event keys (a primary key makes a second apply a no-op), the hook jobs
 * (an outbox, claimed by this instance), the webhook deliveries (an outbox too), the log entries
 * (applied and not) and the hook jobs that ran since the last batch (done) ride along as
 * data-modifying CTEs, and one NOTIFY names every order changed
 * (one message per batch, not per order: each NOTIFY is queued, signalled and read by every
 * listening instance).
 */
const WRITE_BATCH = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as x(
    id text, version int, state jsonb, trade_status text, refund_status text, trade_no text,
    buyer_id text, refunded_fen bigint, channel text, notify_id text, events jsonb, gateway text,
    rep_trade text, rep_refund text, params jsonb, paid_at timestamptz)
), updated as (
  update akit_orders o set
    state = i.state, trade_status = i.trade_status, refund_status = i.refund_status,
    trade_no = coalesce(o.trade_no, i.trade_no), buyer_id = coalesce(o.buyer_id, i.buyer_id),
    refunded_fen = greatest(o.refunded_fen, i.refunded_fen), paid_at = coalesce(o.paid_at, i.paid_at),
    updated_at = now(), version = o.version + 1
  from input i
  where o.id = i.id and o.version = i.version
  returning o.id, o.version, o.trade_no, o.buyer_id, o.refunded_fen, o.paid_at, o.updated_at
), events as (
  insert into akit_order_events (order_id, key, event, channel, notify_id)
  select u.id, e.key, e.event, i.channel, i.notify_id
  from updated u join input i on i.id = u.id, jsonb_to_recordset(i.events) as e(key text, event text)
  on conflict do nothing
  returning order_id, key, event
), jobs as (
  insert into akit_hook_jobs (order_id, event_key, event, state, attempts, locked_until)
  select order_id, key, event, 'running', 1, now() + make_interval(secs => $4::double precision / 1000)
  from events where event = any($2::text[])
  on conflict do nothing
  returning id, order_id, event_key, event, attempts
), webhooks as (
  insert into akit_webhook_deliveries (order_id, event_key, event, url, next_at)
  select e.order_id, e.key, e.event, u.url, now()
  from events e cross join unnest($5::text[]) as u(url)
  on conflict do nothing
  returning 1
), applied_log as (
  insert into akit_notifications (gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, params)
  select i.gateway, i.channel, u.id, i.notify_id, i.rep_trade, i.rep_refund, 'applied', i.params
  from updated u join input i on i.id = u.id
  returning id
), other_log as (
  insert into akit_notifications
    (gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, code, reason, params)
  select gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, code, reason, params
  from jsonb_to_recordset($3::jsonb) as x(
    gateway text, channel text, order_id text, notify_id text, trade_status text,
    refund_status text, outcome text, code text, reason text, params jsonb)
  returning id
), finished as (
  -- In a function that plans its UPDATE at each call (migration 12, bench/RESULTS.md).
  select akit_finish_hook_jobs($6::bigint[]) as n
), notified as (
  select pg_notify('${ORDER_CHANNEL}', string_agg(u.id, '${ORDER_ID_SEPARATOR}')) from updated u
  having count(*) > 0
)
select
  coalesce((select json_agg(row_to_json(u)) from updated u), '[]'::json) as orders,
  coalesce((select json_agg(e) from events e), '[]'::json) as events,
  coalesce((select json_agg(j order by j.id) from jobs j), '[]'::json) as jobs,
  (select count(*) from notified) + (select count(*) from applied_log) + (select count(*) from other_log)
    + (select n from finished) as written`

/** One transition to write: the order's new state, its events, and what the log keeps. */
export interface TransitionRow {
  readonly id: string
  /** The version the decision was made on: the write is skipped if the order moved since. */
  readonly version: number
  readonly state: OrderRow['state']
  readonly trade_status: string
  readonly refund_status: string | null
  readonly trade_no: string | null
  readonly buyer_id: string | null
  readonly refunded_fen: number
  readonly channel: string
  readonly notify_id: string | null
  readonly events: ReadonlyArray<{ readonly key: string; readonly event: string }>
  readonly gateway: string
  readonly rep_trade: string | null
  readonly rep_refund: string | null
  readonly params: Record<string, string> | null
  /** When the buyer paid (ISO), on the transition that first records the payment. */
  readonly paid_at: string | null
}

export interface BatchWritten {
  /**
   * The orders whose compare-and-set succeeded: the columns the write computed (the rest are the
   * input's, or unchanged): `writtenOrder` makes the whole row.
   */
  readonly orders: readonly WrittenColumns[]
  /** The event keys new to the store (a duplicate's were there already). */
  readonly events: ReadonlyArray<{ readonly order_id: string; readonly key: string }>
  /** Hook jobs created with the transitions, claimed by this instance for `hookLockMs`. */
  readonly jobs: ReadonlyArray<ClaimedJob & { readonly order_id: string }>
}

/** What the batch's UPDATE computed for an order (the rest of the row is known to the caller). */
export type WrittenColumns = Pick<
  OrderRow,
  'id' | 'version' | 'trade_no' | 'buyer_id' | 'refunded_fen' | 'paid_at' | 'updated_at'
>

/**
 * The order as the batch wrote it: the row its decision was made on, the transition's new state,
 * and the columns the UPDATE computed. Returning these few columns instead of whole rows saves
 * PostgreSQL the JSON of every order and the BFF its parsing (bench/RESULTS.md).
 */
export function writtenOrder(
  before: OrderRow,
  transition: TransitionRow,
  written: WrittenColumns,
): OrderRow {
  return {
    ...before,
    state: transition.state,
    trade_status: transition.trade_status,
    refund_status: transition.refund_status,
    ...written,
  }
}

/** Writes a batch of transitions and log entries (rows as repositories/notifications.ts shapes them). */
export async function writeStatusBatch(
  q: Queryable,
  input: {
    readonly transitions: readonly TransitionRow[]
    readonly logs: readonly unknown[]
    readonly hookEvents: readonly string[]
    readonly hookLockMs: number
    /** Where every event is also POSTed (an outbox row each); empty: no webhooks. */
    readonly webhookUrls: readonly string[]
    /** Hook jobs that ran since the last batch: recorded done in the same statement. */
    readonly finishedJobs?: readonly string[]
  },
): Promise<BatchWritten> {
  const [result] = await q.query<BatchWritten>(
    WRITE_BATCH,
    [
      JSON.stringify(input.transitions),
      [...input.hookEvents],
      JSON.stringify(input.logs),
      input.hookLockMs,
      [...input.webhookUrls],
      [...(input.finishedJobs ?? [])],
    ],
    'akit_write_batch',
  )
  return result ?? { orders: [], events: [], jobs: [] }
}
