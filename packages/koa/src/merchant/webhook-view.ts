import type { WebhookDeliveryView } from '@alipay-kit/client'
import type { WebhookDeliveryRow } from '../repositories/webhook-deliveries.js'
import { orderEventId } from './order-event.js'
import { redactUrl } from './webhook-url.js'

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())

/** A webhook delivery as the merchant API shows it. */
export function webhookDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: orderEventId(row.order_id, row.event_key),
    type: `order.${row.event}`,
    orderId: row.order_id,
    // Shown, never sent: a token in the query stays out of the merchant page (webhook-url.ts).
    url: redactUrl(row.url),
    state: row.state,
    attempts: row.attempts,
    nextAt: iso(row.next_at) as string,
    createdAt: iso(row.created_at) as string,
    deliveredAt: iso(row.delivered_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
  }
}
