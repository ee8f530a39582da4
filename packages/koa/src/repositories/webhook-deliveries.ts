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

/**
 * Claims due deliveries: pending, their time come, and the first pending one of their order for
 * their URL (so an order's events arrive in the order they happened). SKIP LOCKED lets instances
 * claim side by side; the lease keeps a claimed one this instance's until it writes the outcome.
 */
export async function claimWebhookDeliveries(
  q: Queryable,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  return q.query<WebhookDeliveryRow>(
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
     )
     update akit_webhook_deliveries w
     set locked_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000)
     from due where w.id = due.id
     returning w.id::text as id, order_id, event_key, event, url, state, attempts, next_at,
       created_at, delivered_at, last_status, last_error`,
    [now, leaseMs, limit],
  )
}

/** Writes a try's outcome: delivered, failed for good, or due again at `nextAt`. */
export async function recordWebhookAttempt(
  q: Queryable,
  id: string,
  outcome: {
    readonly state: WebhookDeliveryRow['state']
    readonly status: number | null
    readonly error: string | null
    readonly nextAt: Date
    readonly at: Date
  },
): Promise<void> {
  await q.query(
    `update akit_webhook_deliveries set state = $2, attempts = attempts + 1, last_status = $3,
       last_error = $4, next_at = $5, locked_until = null,
       delivered_at = case when $2 = 'delivered' then $6::timestamptz else delivered_at end
     where id = $1::bigint`,
    [id, outcome.state, outcome.status, outcome.error, outcome.nextAt, outcome.at],
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
