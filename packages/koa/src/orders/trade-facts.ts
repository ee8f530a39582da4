import type { TradeFacts } from '../gateway/types.js'
import type { OrderRow } from './view.js'

/** What a gateway needs to know of a stored order to act on its trade. */
export function tradeFacts(order: OrderRow): TradeFacts {
  const created = new Date(order.created_at).getTime()
  // Orders stored before expiries existed: the default expiry from their creation.
  const expires = order.expires_at ? new Date(order.expires_at).getTime() : created + 30 * 60_000
  return {
    id: order.id,
    service: order.service,
    subject: order.subject,
    amountFen: Number(order.amount_fen),
    tradeNo: order.trade_no,
    address: order.address,
    expiresAt: new Date(expires),
    payableMinutes: Math.max(1, Math.round((expires - created) / 60_000)),
  }
}
