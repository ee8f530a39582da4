import type { OrderRow } from '../orders/view.js'
import type { Queryable } from '../store/types.js'

/** One event's delivery to one URL, as stored. */
export interface WebhookDeliveryRow {
  readonly id: string
  readonly order_id: string
  readonly event_key: string
  readonly event: string
  readonly url: string
  readonly state: 'pending' | 'delivered' | 'failed'
  readonly attempts: number
  readonly next_at: Date | string
  readonly created_at: Date | string
  readonly delivered_at: Date | string | null
  readonly last_status: number | null
  readonly last_error: string | null
}

const COLUMNS = `id::text, order_id, event_key, event, url, state, attempts, next_at, created_at,
  delivered_at, last_status, last_error`

/** A claimed delivery, with its order as it is now (what the body carries). */
export interface ClaimedDelivery extends WebhookDeliveryRow {
  readonly order: OrderRow
}

/**
 * Claims due deliveries: pending, their time come, and the first pending one of their order for
 * their URL (so an order's events arrive in the order they happened). SKIP LOCKED lets instances
 * claim side by side; the lease keeps a claimed one this instance's until it writes the outcome.
 * Each comes with its order, read in the same statement.
 */
export async function claimWebhookDeliveries(
  q: Queryable,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<ClaimedDelivery[]> {
  return q.query<ClaimedDelivery>(
    `with due as (
       select d.id from akit_webhook_deliveries d
       where d.state = 'pending' and d.next_at <= $1
         and (d.locked_until is null or d.locked_until <= $1)
         and not exists (
           select 1 from akit_webhook_deliveries p
           where p.order_id = d.order_id and p.url = d.url and p.state = 'pending' and p.id < d.id
         )
       order by d.id
       limit $3
       for update skip locked
     ), claimed as (
       update akit_webhook_deliveries w
       set locked_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
       from due where w.id = due.id
       returning w.id::text as id, order_id, event_key, event, url, state, attempts, next_at,
         created_at, delivered_at, last_status, last_error
     )
     select c.*, to_jsonb(o) as order from claimed c join akit_orders o on o.id = c.order_id
     order by c.id::bigint`,
    [now, leaseMs, limit],
  )
}

/** A try's outcome: delivered, failed for good, or due again at `nextAt`. */
export interface WebhookAttempt {
  readonly id: string
  readonly state: WebhookDeliveryRow['state']
  readonly status: number | null
  readonly error: string | null
  readonly nextAt: Date
  readonly at: Date
}

/** Writes the outcomes of a batch of tries in one statement (and ends their leases). */
export async function recordWebhookAttempts(
  q: Queryable,
  attempts: readonly WebhookAttempt[],
): Promise<void> {
  if (attempts.length === 0) return
  await q.query(
    `update akit_webhook_deliveries d set state = a.state, attempts = d.attempts + 1,
       last_status = a.status, last_error = a.error, next_at = a.next_at, locked_until = null,
       delivered_at = case when a.state = 'delivered' then a.at else d.delivered_at end
     from jsonb_to_recordset($1::jsonb) as a(id bigint, state text, status int, error text,
       next_at timestamptz, at timestamptz)
     where d.id = a.id`,
    [
      JSON.stringify(
        attempts.map((a) => ({
          id: a.id,
          state: a.state,
          status: a.status,
          error: a.error,
          next_at: a.nextAt.toISOString(),
          at: a.at.toISOString(),
        })),
      ),
    ],
  )
}

export async function listWebhookDeliveries(
  q: Queryable,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  return q.query<WebhookDeliveryRow>(
    `select ${COLUMNS} from akit_webhook_deliveries order by id desc limit $1`,
    [limit],
  )
}

/** Sends a delivery again now (the merchant's resend), whatever its state. */
export async function resendWebhookDelivery(
  q: Queryable,
  id: string,
  now: Date,
): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await q.query<WebhookDeliveryRow>(
    `update akit_webhook_deliveries set state = 'pending', next_at = $2, locked_until = null
     where id = $1::bigint returning ${COLUMNS}`,
    [id, now],
  )
  return row
}
