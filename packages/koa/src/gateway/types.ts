import type { AddressView, PaymentStart, PayService, ShipInput } from '@alipay-kit/client'
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
}

/** One of Alipay's two gateways, behind the same operations. */
export interface PaymentGateway {
  readonly kind: 'legacy' | 'open'
  readonly services: readonly PayService[]
  startPayment(
    order: TradeFacts,
    urls: { notifyUrl: string; returnUrl: string },
    token: string | undefined,
  ): PaymentStart
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
  ): Promise<void>
  close(order: TradeFacts): Promise<void>
  ship(order: TradeFacts, input: ShipInput): Promise<void>
}

/** A gateway call that Alipay refused (with its code) or that could not be made. */
export class GatewayCallError extends Error {
  override readonly name = 'GatewayCallError'
  constructor(
    /** Alipay's code (ILLEGAL_SIGN, ACQ.TRADE_HAS_SUCCESS…), or GATEWAY_UNREACHABLE. */
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** GETs or POSTs to a gateway with a timeout; network failures become GATEWAY_UNREACHABLE. */
export async function gatewayText(
  doFetch: typeof fetch,
  url: string,
  init: { method?: string; body?: string; timeoutMs?: number } = {},
): Promise<string> {
  try {
    const response = await doFetch(url, {
      method: init.method ?? 'GET',
      headers: init.body
        ? { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }
        : {},
      body: init.body ?? null,
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    })
    return await response.text()
  } catch (error) {
    throw new GatewayCallError(
      'GATEWAY_UNREACHABLE',
      `Alipay could not be reached: ${(error as Error).message}`,
    )
  }
}
