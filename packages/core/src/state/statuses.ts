/** Trade statuses of both gateways (docs/protocol.md, "Trade and refund statuses"). */
export const TRADE_STATUSES = [
  'WAIT_BUYER_PAY',
  'TRADE_PENDING',
  'WAIT_SELLER_SEND_GOODS',
  'TRADE_SUCCESS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
] as const
export type TradeStatus = (typeof TRADE_STATUSES)[number]

/** Refund statuses of the legacy gateway, plus REFUND_SUCCESS as the Open Platform reports it. */
export const REFUND_STATUSES = [
  'WAIT_SELLER_AGREE',
  'SELLER_REFUSE_BUYER',
  'WAIT_BUYER_RETURN_GOODS',
  'WAIT_SELLER_CONFIRM_GOODS',
  'REFUND_SUCCESS',
  'REFUND_CLOSED',
] as const
export type RefundStatus = (typeof REFUND_STATUSES)[number]

export function isTradeStatus(value: unknown): value is TradeStatus {
  return typeof value === 'string' && (TRADE_STATUSES as readonly string[]).includes(value)
}

export function isRefundStatus(value: unknown): value is RefundStatus {
  return typeof value === 'string' && (REFUND_STATUSES as readonly string[]).includes(value)
}

/** Statuses that mean the buyer's money has left the buyer (PROTOCOL: only these mean paid). */
export const PAID_STATUSES: readonly TradeStatus[] = [
  'TRADE_PENDING',
  'WAIT_SELLER_SEND_GOODS',
  'TRADE_SUCCESS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'TRADE_FINISHED',
]

/** How far along a trade is. Strictly increasing along every real path; TRADE_CLOSED is the end of all. */
export const TRADE_RANK: Readonly<Record<TradeStatus, number>> = {
  WAIT_BUYER_PAY: 0,
  TRADE_PENDING: 1,
  WAIT_SELLER_SEND_GOODS: 2,
  TRADE_SUCCESS: 2,
  WAIT_BUYER_CONFIRM_GOODS: 3,
  TRADE_FINISHED: 4,
  TRADE_CLOSED: 5,
}

/** How far along a refund is. WAIT_SELLER_AGREE and SELLER_REFUSE_BUYER share a rank: the buyer may ask again after a refusal. */
export const REFUND_RANK: Readonly<Record<RefundStatus, number>> = {
  WAIT_SELLER_AGREE: 1,
  SELLER_REFUSE_BUYER: 1,
  WAIT_BUYER_RETURN_GOODS: 2,
  WAIT_SELLER_CONFIRM_GOODS: 3,
  REFUND_SUCCESS: 4,
  REFUND_CLOSED: 4,
}
