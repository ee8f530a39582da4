import type { WebhookEvent } from '@alipay-kit/client'
import { type OrderRow, toOrderView } from '../orders/view.js'

/**
 * The stable id of an order event: the same in every webhook delivery, retry and resend and in
 * the event feed (receivers dedupe on it).
 */
export function orderEventId(orderId: string, eventKey: string): string {
  return `${orderId}.${eventKey}`
}

/** An order event as webhooks and the event feed carry it (docs/webhooks.md). */
export function toOrderEvent(
  event: {
    readonly orderId: string
    readonly key: string
    readonly event: string
    readonly createdAt: Date | string
  },
  order: OrderRow,
): WebhookEvent {
  return {
    id: orderEventId(event.orderId, event.key),
    type: `order.${event.event}`,
    createdAt: new Date(event.createdAt).toISOString(),
    // The order as it is now: later events may have moved it on (the event's type says what happened).
    order: toOrderView(order),
  }
}
