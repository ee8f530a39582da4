import { type AlipayPayName, PAY_SERVICES, serviceForAlipayName } from '@alipay-kit/client'
import type { RefundStatus, TradeStatus } from '@alipay-kit/core'
import type { SandboxBuyer } from './buyers.js'
import type { Charset } from './http/form.js'

export type Gateway = 'legacy' | 'open'

/** The Alipay services and methods that open a trade: every payment service of the kit's registry. */
export type PayService = AlipayPayName

export interface Refund {
  readonly id: string
  readonly amountFen: number
  readonly at: number
}

/** One trade as the simulator keeps it. */
export interface Trade {
  readonly tradeNo: string
  readonly gateway: Gateway
  readonly service: PayService
  readonly outTradeNo: string
  readonly subject: string
  readonly body: string | undefined
  readonly totalFen: number
  readonly price: string | undefined
  readonly quantity: string | undefined
  readonly charset: Charset
  readonly notifyUrl: string | undefined
  readonly returnUrl: string | undefined
  readonly showUrl: string | undefined
  readonly passback: string | undefined
  /** What makes a second request for this out_trade_no "the same" (TRADE_DATA_MATCH_ERROR otherwise). */
  readonly fingerprint: string
  readonly createdAt: number
  /**
   * When the trade closes unpaid (simulator time): from time_expire, timeout_express or the
   * legacy it_b_pay (relative to the trade's creation). Undefined: it stays payable.
   */
  readonly expiresAt: number | undefined
  /** Not created by the merchant's shop (an admin call): it shows in the bill only. */
  readonly foreign?: boolean
  tradeStatus: TradeStatus
  refundStatus: RefundStatus | undefined
  /** The seller changed the price at Alipay before payment (修改交易价格): the new total, in fen. */
  adjustedFen: number | undefined
  /** How the buyer paid: escrow or instant (the dual interface lets the buyer choose). */
  mode: 'escrow' | 'instant' | undefined
  buyer: SandboxBuyer | undefined
  paidAt: number | undefined
  shipped: boolean
  refunds: Refund[]
  /** The return redirect goes out once. */
  returned: boolean
}

/** What a payment request fixes about a trade; the simulator adds its number and fresh state. */
export type TradeRequest = Omit<
  Trade,
  | 'tradeNo'
  | 'createdAt'
  | 'tradeStatus'
  | 'refundStatus'
  | 'adjustedFen'
  | 'mode'
  | 'buyer'
  | 'paidAt'
  | 'shipped'
  | 'refunds'
  | 'returned'
>

/** How the buyer pays through a service: at once, into escrow, or as the buyer chooses (dual). */
export function modeOfService(service: PayService): 'instant' | 'escrow' | 'buyer-chooses' {
  const name = serviceForAlipayName(service)
  return name ? PAY_SERVICES[name].mode : 'instant'
}

/** What the buyer pays: the order's total, or the seller's adjusted price. */
export function chargedFen(trade: Trade): number {
  return trade.adjustedFen ?? trade.totalFen
}

export function refundedFen(trade: Trade): number {
  return trade.refunds.reduce((sum, refund) => sum + refund.amountFen, 0)
}

/** The trade as the legacy gateway states it in a trade query answer and in a return redirect. */
export function legacyTradeFields(trade: Trade, sellerId: string): Record<string, string> {
  return {
    out_trade_no: trade.outTradeNo,
    trade_no: trade.tradeNo,
    subject: trade.subject,
    total_fee: yuan(chargedFen(trade)),
    trade_status: trade.tradeStatus,
    seller_id: sellerId,
    ...(trade.buyer ? { buyer_id: trade.buyer.userId, buyer_email: trade.buyer.email } : {}),
  }
}

/** Yuan with two decimals from fen, without floats. */
export function yuan(fen: number): string {
  const text = String(fen).padStart(3, '0')
  return `${text.slice(0, -2)}.${text.slice(-2)}`
}

/** Fen from a yuan string that already passed the gateway's amount check. */
export function fen(yuanText: string): number {
  const [whole = '0', fraction = ''] = yuanText.split('.')
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
}

/** Milliseconds of Alipay's relative times (`15m`, `2h`, `1d`; `1c` is until midnight, China time). */
export function relativeMs(text: string | undefined, now: number): number | undefined {
  if (text === '1c') {
    const china = now + 8 * 3600_000
    return 86_400_000 - (china % 86_400_000)
  }
  const match = /^([1-9]\d*)([mhd])$/.exec(text ?? '')
  if (!match) return undefined
  return Number(match[1]) * { m: 60_000, h: 3600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd']
}
