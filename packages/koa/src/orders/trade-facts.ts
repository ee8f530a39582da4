import type { TradeFacts } from '../gateway/types.js'
import type { OrderRow } from './view.js'

/**
 * When an order's payment stops being payable. Orders stored before expiries existed and never
 * waiting since (migration 6 gave the waiting ones theirs): the default 30 minutes from creation.
 */
export function expiresAtOf(order: Pick<OrderRow, 'created_at' | 'expires_at'>): Date {
  return order.expires_at
    ? new Date(order.expires_at)
    : new Date(new Date(order.created_at).getTime() + 30 * 60_000)
}

/** What a gateway needs to know of a stored order to act on its trade. */
export function tradeFacts(order: OrderRow): TradeFacts {
  const created = new Date(order.created_at).getTime()
  const expires = expiresAtOf(order)
  return {
    id: order.id,
    service: order.service,
    subject: order.subject,
    amountFen: Number(order.amount_fen),
    tradeNo: order.trade_no,
    address: order.address,
    expiresAt: expires,
    payableMinutes: Math.max(1, Math.round((expires.getTime() - created) / 60_000)),
  }
}
