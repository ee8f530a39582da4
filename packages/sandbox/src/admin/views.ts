import type { Delivery } from '../notify/deliveries.js'
import type { Trade } from '../trades.js'
import { yuan } from '../trades.js'

/** A trade as the admin API shows it. */
export interface TradeView {
  readonly tradeNo: string
  readonly gateway: Trade['gateway']
  readonly service: string
  readonly outTradeNo: string
  readonly subject: string
  readonly totalAmount: string
  /** The seller's adjusted price, when it was changed (修改交易价格). */
  readonly adjustedAmount: string | undefined
  readonly tradeStatus: string
  readonly refundStatus: string | undefined
  readonly mode: string | undefined
  readonly buyerId: string | undefined
  readonly refunds: ReadonlyArray<{ id: string; amount: string }>
  /** When the trade closes unpaid (ISO), if it does. */
  readonly expiresAt: string | null
  /** Made by the admin API, not the shop: in the bill only. */
  readonly foreign: boolean
}

export interface DeliveryView {
  readonly id: number
  readonly outTradeNo: string
  readonly notifyId: string
  readonly url: string
  readonly params: Readonly<Record<string, string>>
  readonly faults: readonly string[]
  readonly state: Delivery['state']
  readonly attempts: ReadonlyArray<{
    at: number
    status: number | undefined
    answer: string
    error: string | undefined
  }>
}

export function tradeView(trade: Trade): TradeView {
  return {
    tradeNo: trade.tradeNo,
    gateway: trade.gateway,
    service: trade.service,
    outTradeNo: trade.outTradeNo,
    subject: trade.subject,
    totalAmount: yuan(trade.totalFen),
    adjustedAmount: trade.adjustedFen === undefined ? undefined : yuan(trade.adjustedFen),
    tradeStatus: trade.tradeStatus,
    refundStatus: trade.refundStatus,
    mode: trade.mode,
    buyerId: trade.buyer?.userId,
    refunds: trade.refunds.map((r) => ({ id: r.id, amount: yuan(r.amountFen) })),
    expiresAt: trade.expiresAt === undefined ? null : new Date(trade.expiresAt).toISOString(),
    foreign: trade.foreign === true,
  }
}

export function deliveryView(delivery: Delivery): DeliveryView {
  return {
    id: delivery.id,
    outTradeNo: delivery.outTradeNo,
    notifyId: delivery.notifyId,
    url: delivery.url,
    params: delivery.params,
    faults: delivery.faults,
    state: delivery.state,
    attempts: [...delivery.attempts],
  }
}
