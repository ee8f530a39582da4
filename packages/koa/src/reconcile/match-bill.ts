import { formatYuan, type TradeBill } from '@alipay-kit/core'
import type { OrderRow } from '../orders/view.js'

/**
 * How a day's bill and the shop's orders differ (koa README, "The daily bill"):
 * - `missing_here`: Alipay took a payment for an out_trade_no that is no order of this shop;
 * - `unpaid_here`: Alipay took the payment, the order here is not paid (a query settles it);
 * - `missing_at_alipay`: paid here that day, no payment in Alipay's bill;
 * - `amount`: the bill's order amount is not what the order says;
 * - `refund`: a refund in the bill the order here does not record.
 */
export type DifferenceKind =
  | 'missing_here'
  | 'unpaid_here'
  | 'missing_at_alipay'
  | 'amount'
  | 'refund'

export interface Difference {
  readonly orderId: string
  readonly kind: DifferenceKind
  readonly tradeNo: string | null
  /** What Alipay's bill says, in fen (the payment's or the refund's amount). */
  readonly alipayFen: number | null
  /** What the order here says, in fen. */
  readonly localFen: number | null
  readonly detail: string
}

/**
 * Matches a day's bill line by line against the orders it names and the orders paid here that
 * day (Open Platform orders: the bill is of its trades). Pure: the caller loads the orders and
 * keeps the result.
 */
export function matchBill(
  bill: TradeBill,
  orders: readonly OrderRow[],
  paidThatDay: readonly OrderRow[],
): Difference[] {
  const byId = new Map(orders.map((order) => [order.id, order]))
  const differences: Difference[] = []
  const paidAtAlipay = new Set<string>()
  for (const line of bill.lines) {
    const order = byId.get(line.outTradeNo)
    if (line.kind === 'payment') {
      paidAtAlipay.add(line.outTradeNo)
      if (order?.gateway !== 'open') {
        differences.push({
          orderId: line.outTradeNo,
          kind: 'missing_here',
          tradeNo: line.tradeNo,
          alipayFen: line.receivedFen,
          localFen: null,
          detail: `Alipay took ${formatYuan(line.receivedFen)} yuan for ${line.outTradeNo} (trade ${line.tradeNo}, ${line.subject}), which is no order of this shop: another system on the same Alipay account, or an order lost here. Refund it at Alipay or record it`,
        })
        continue
      }
      const ordered = Number(order.amount_fen)
      if (line.orderFen !== ordered)
        differences.push({
          orderId: order.id,
          kind: 'amount',
          tradeNo: line.tradeNo,
          alipayFen: line.orderFen,
          localFen: ordered,
          detail: `The bill's order amount ${formatYuan(line.orderFen)} is not the order's ${formatYuan(ordered)} yuan`,
        })
      if (!order.state.paid)
        differences.push({
          orderId: order.id,
          kind: 'unpaid_here',
          tradeNo: line.tradeNo,
          alipayFen: line.receivedFen,
          localFen: null,
          detail: `Alipay took ${formatYuan(line.receivedFen)} yuan on ${line.completedAt}; the order here is ${order.state.trade}, not paid. Asking Alipay settles it`,
        })
    } else if (line.kind === 'refund') {
      if (order?.gateway !== 'open') continue // its payment line is reported already
      const id = line.refundRequestNo
      if (id === undefined || !order.state.refundsSucceeded.includes(id))
        differences.push({
          orderId: order.id,
          kind: 'refund',
          tradeNo: line.tradeNo,
          alipayFen: -line.receivedFen,
          localFen: Number(order.refunded_fen),
          detail: `Alipay refunded ${formatYuan(-line.receivedFen)} yuan on ${line.completedAt} (request ${id ?? 'without a number'}), which the order here does not record`,
        })
    }
  }
  for (const order of paidThatDay) {
    if (order.gateway !== 'open' || paidAtAlipay.has(order.id)) continue
    differences.push({
      orderId: order.id,
      kind: 'missing_at_alipay',
      tradeNo: order.trade_no,
      alipayFen: null,
      localFen: Number(order.amount_fen),
      detail: `The order was paid here (${formatYuan(Number(order.amount_fen))} yuan) but Alipay's bill of the day has no payment for it: do not ship before Alipay confirms it`,
    })
  }
  return differences
}
