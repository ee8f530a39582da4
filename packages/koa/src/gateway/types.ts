import type { AddressView, Gateway, PaymentStart, PayService, ShipInput } from '@alipay-kit/client'
import type {
  NotificationResult,
  RawNotification,
  SignedParamsResult,
  StatusReport,
} from '@alipay-kit/core'

/** What Alipay answered when asked about a trade. */
export interface QueriedTrade {
  readonly report: StatusReport
  readonly amountFen: number
  readonly tradeNo: string | undefined
  readonly buyerId: string | undefined
  readonly refundFen: number | undefined
  readonly params: Readonly<Record<string, string>>
}

/** The order facts a gateway needs to act on a trade. */
export interface TradeFacts {
  readonly id: string
  readonly service: PayService
  readonly subject: string
  readonly amountFen: number
  readonly tradeNo: string | null
  readonly address: AddressView | null
  /** When the payment stops being payable: sent to Alipay, which closes the trade then. */
  readonly expiresAt: Date
  /** The same as a length from the payment's start, in whole minutes (legacy it_b_pay). */
  readonly payableMinutes: number
  /**
   * When this start of the payment happens (a refreshed QR code starts later than its order);
   * default: the order's creation (expiresAt less payableMinutes).
   */
  readonly startsAt?: Date
}

/** Where Alipay calls back for one order: the server notification and the buyer's return. */
export interface CallbackUrls {
  readonly notifyUrl: string
  readonly returnUrl: string
}

/** Who is paying, as far as the request says. */
export interface BuyerContext {
  /** The quick-login token (legacy gateway), when the buyer logged in that way and it is valid. */
  readonly token: string | undefined
  /** The buyer's IP as Koa sees it (`ctx.ip`: behind a proxy, only with `app.proxy = true`). */
  readonly ip: string
}

/** Extra signed parameters of a legacy request (anti-phishing). */
export type ExtraParams = Readonly<Record<string, string>>

/**
 * Starts one service's payment. A forgotten service is a type error: each gateway keeps a
 * `{ [S in ServiceOn<gateway>]: Starter }` table (see ARCHITECTURE.md, "Add a payment service").
 */
export type Starter = (
  order: TradeFacts,
  urls: CallbackUrls,
  token: string | undefined,
  extra: ExtraParams,
) => PaymentStart | Promise<PaymentStart>

/** One of Alipay's two gateways, behind the same operations. */
export interface PaymentGateway {
  readonly kind: Gateway
  /**
   * Signs (and for a QR code, creates at Alipay) the payment of a new order; throws
   * AlipayInputError for what Alipay would refuse, before anything is stored.
   */
  startPayment(order: TradeFacts, urls: CallbackUrls, buyer: BuyerContext): Promise<PaymentStart>
  verifyNotification(raw: RawNotification): Promise<NotificationResult>
  /** Checks a payment return redirect (display only: it never changes an order). */
  verifyReturn(raw: RawNotification): Promise<SignedParamsResult>
  /** Undefined when Alipay knows no such trade (the buyer never reached the cashier). */
  query(orderId: string): Promise<QueriedTrade | undefined>
  refund(
    order: TradeFacts,
    amountFen: number,
    reason: string,
    requestNo: string,
    notifyUrl: string,
    /** When the refund was first asked for (a retry keeps the legacy batch_no's day). */
    requestedAt?: Date,
  ): Promise<void>
  close(order: TradeFacts): Promise<void>
  ship(order: TradeFacts, input: ShipInput): Promise<void>
}
