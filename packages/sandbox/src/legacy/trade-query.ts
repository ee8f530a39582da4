import { createHash } from 'node:crypto'
import { chinaTimestamp } from '@alipay-kit/core'
import { chargedFen, refundedFen, type Trade, yuan } from '../trades.js'

const time = (ms: number) => chinaTimestamp(new Date(ms))

/**
 * The trade as single_trade_query answers it, with the fields and formats of an answer Alipay sent
 * (docs/sources.md [CAPT]; the corpus's legacy-answer-trade-query.json): refunds show as
 * `refund_status`, `gmt_refund`, the total refunded (`refund_fee`, `to_buyer_fee`), flags as
 * `F`/`T`, times in China time.
 */
export function tradeQueryFields(
  trade: Trade,
  seller: { readonly partner: string; readonly sellerEmail: string },
): Record<string, string> {
  const refunded = refundedFen(trade)
  const last = trade.refunds.at(-1)
  const changed = Math.max(trade.createdAt, trade.paidAt ?? 0, last?.at ?? 0)
  const fields: Record<string, string | undefined> = {
    body: trade.body,
    buyer_email: trade.buyer?.email,
    buyer_id: trade.buyer?.userId,
    discount: '0.00',
    flag_trade_locked: '0',
    gmt_create: time(trade.createdAt),
    gmt_last_modified_time: time(changed),
    gmt_payment: trade.paidAt === undefined ? undefined : time(trade.paidAt),
    gmt_refund: last ? time(last.at) : undefined,
    is_total_fee_adjust: trade.adjustedFen === undefined ? 'F' : 'T',
    operator_role: 'B',
    out_trade_no: trade.outTradeNo,
    payment_type: trade.service === 'create_donate_trade_p' ? '4' : '1',
    price: trade.price ?? yuan(chargedFen(trade)),
    quantity: trade.quantity ?? '1',
    refund_fee: last ? yuan(refunded) : undefined,
    refund_flow_type: last ? '1' : undefined,
    // Alipay's refund ids are digits; the simulator's own refund id, as digits.
    refund_id: last
      ? String(Number.parseInt(createHash('sha1').update(last.id).digest('hex').slice(0, 10), 16))
      : undefined,
    refund_status: trade.refundStatus,
    seller_email: seller.sellerEmail,
    seller_id: seller.partner,
    subject: trade.subject,
    to_buyer_fee: trade.paidAt === undefined ? undefined : yuan(refunded),
    to_seller_fee: trade.paidAt === undefined ? undefined : yuan(chargedFen(trade)),
    total_fee: yuan(chargedFen(trade)),
    trade_no: trade.tradeNo,
    trade_status: trade.tradeStatus,
    use_coupon: 'F',
  }
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
}
