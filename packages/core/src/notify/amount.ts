import { formatYuan, parseSignedYuan, parseYuan } from '../shared/money.js'
import type { AmountAdjustment } from '../state/machine.js'

/** What a notification's amount means for an order (docs/protocol.md, "Amounts Alipay changes"). */
export type AmountCheck =
  | { readonly kind: 'match' }
  | { readonly kind: 'explained'; readonly adjustment: AmountAdjustment }
  | { readonly kind: 'unexplained'; readonly chargedFen: number; readonly reason: string }

/** The fields the check reads: the gateway, the total Alipay reports, and the message's own fields. */
export interface ChargedAmount {
  readonly gateway: 'legacy' | 'open'
  readonly amountFen: number
  readonly params: Readonly<Record<string, string>> | undefined
}

const yuan = (fen: number) => (fen < 0 ? `-${formatYuan(-fen)}` : formatYuan(fen))

function legacyGoodsFen(params: Readonly<Record<string, string>>): number | undefined {
  const { price, quantity } = params
  if (price === undefined || quantity === undefined || !/^[1-9]\d{0,5}$/.test(quantity))
    return undefined
  try {
    return parseYuan(price, 'price') * Number(quantity)
  } catch {
    return undefined
  }
}

/**
 * Decides from a notification's own fields whether the amount Alipay charged may stand for the
 * order. The same amount matches. On the legacy gateway two differences are explained: the seller
 * changed the price at Alipay (`is_total_fee_adjust=Y`, the 修改交易价格 notification), or the
 * trade names a `discount` that accounts for the whole difference between the order's goods
 * (`price` × `quantity`) and `total_fee`. Anything else is unexplained: keep the order out of
 * "paid" and show it to a person. The Open Platform never changes a trade's `total_amount`
 * (coupons lower `receipt_amount` and `buyer_pay_amount`), so there any difference is unexplained.
 *
 * @example
 * explainAmount({ gateway: 'legacy', amountFen: 9000, params: { is_total_fee_adjust: 'Y' } }, 12800)
 * // { kind: 'explained', adjustment: { reason: 'PRICE_ADJUSTED', chargedFen: 9000, … } }
 */
export function explainAmount(charged: ChargedAmount, orderFen: number): AmountCheck {
  if (charged.amountFen === orderFen) return { kind: 'match' }
  const params = charged.params ?? {}
  const field = charged.gateway === 'legacy' ? 'total_fee' : 'total_amount'
  const what = `${field} ${yuan(charged.amountFen)} differs from the order's ${yuan(orderFen)}`
  if (charged.gateway === 'legacy') {
    if (params.is_total_fee_adjust === 'Y')
      return {
        kind: 'explained',
        adjustment: {
          reason: 'PRICE_ADJUSTED',
          chargedFen: charged.amountFen,
          detail: `${what}: the seller changed the price at Alipay (is_total_fee_adjust=Y)`,
        },
      }
    let discountFen: number | undefined
    try {
      discountFen = params.discount === undefined ? undefined : parseSignedYuan(params.discount)
    } catch {
      discountFen = undefined
    }
    const goodsFen = legacyGoodsFen(params)
    if (
      discountFen !== undefined &&
      discountFen !== 0 &&
      goodsFen === orderFen &&
      goodsFen + discountFen === charged.amountFen
    )
      return {
        kind: 'explained',
        adjustment: {
          reason: 'DISCOUNT',
          chargedFen: charged.amountFen,
          detail: `${what}: the trade names a discount of ${yuan(discountFen)} on goods of ${yuan(goodsFen)}${params.use_coupon === 'Y' ? ' (use_coupon=Y)' : ''}`,
        },
      }
    return {
      kind: 'unexplained',
      chargedFen: charged.amountFen,
      reason: `${what}, and the notification does not explain it (no price adjustment, no discount that accounts for it${params.use_coupon === 'Y' ? '; use_coupon=Y alone does not' : ''})`,
    }
  }
  return {
    kind: 'unexplained',
    chargedFen: charged.amountFen,
    reason: `${what}; the Open Platform never changes a trade's total (coupons lower receipt_amount, not total_amount)`,
  }
}
