import type { Fen } from '../shared/money.js'
import type { RefundStatus, TradeStatus } from '../state/statuses.js'

/** A verified trade notification, normalised across both gateways. `params` keeps every field verbatim. */
export interface TradeNotification {
  readonly kind: 'trade'
  readonly gateway: 'legacy' | 'open'
  readonly notifyId: string
  readonly notifyType: string
  readonly notifyTime: string | undefined
  readonly outTradeNo: string
  readonly tradeNo: string | undefined
  readonly tradeStatus: TradeStatus | undefined
  readonly refundStatus: RefundStatus | undefined
  /** Open Platform partial refunds: the refund request number (out_biz_no). */
  readonly refundId: string | undefined
  /** total_fee (legacy) or total_amount (Open Platform), in fen. */
  readonly amountFen: Fen
  /** refund_fee in fen, when the notification reports a refund. */
  readonly refundFen: Fen | undefined
  readonly sellerId: string | undefined
  readonly sellerEmail: string | undefined
  readonly buyerId: string | undefined
  readonly appId: string | undefined
  readonly params: Readonly<Record<string, string>>
}

/**
 * One trade's line in a legacy refund batch's result (`result_details`, entries joined by `#`):
 * `trade_no^amount^result`, then, when a fee was refunded too, `$account^user_id^fee^result`
 * (docs/protocol.md, "Legacy refunds").
 */
export interface RefundResultLine {
  readonly tradeNo: string
  readonly amountFen: Fen
  /** `SUCCESS`, or the refusal's code (即时到账批量退款业务错误码, e.g. TRADE_STATUS_ERROR). */
  readonly result: string
  readonly succeeded: boolean
  /** The fee refund that rode along, if any: `$account^user_id^fee^result`. */
  readonly fee:
    | {
        readonly account: string
        readonly userId: string
        readonly amountFen: Fen
        readonly result: string
      }
    | undefined
}

/**
 * A verified `batch_refund_notify`: the result of a legacy refund batch
 * (refund_fastpay_by_platform_pwd / _nopwd), sent to the batch's notify_url. It names trades by
 * Alipay's `trade_no` and carries no out_trade_no, seller or amount of the trade.
 */
export interface RefundBatchNotification {
  readonly kind: 'refund_batch'
  readonly gateway: 'legacy'
  readonly notifyId: string
  readonly notifyType: 'batch_refund_notify'
  readonly notifyTime: string | undefined
  /** The merchant's batch number, as sent with the refund request. */
  readonly batchNo: string
  /** How many lines Alipay says succeeded. */
  readonly successNum: number
  readonly results: readonly RefundResultLine[]
  readonly params: Readonly<Record<string, string>>
}

/** Any verified notification. */
export type AlipayNotification = TradeNotification | RefundBatchNotification

/** Why a notification was refused. Log it (docs/protocol.md, "Notifications") and answer `fail`. */
export type RejectionCode =
  | 'MALFORMED'
  | 'MISSING_FIELD'
  | 'BAD_FIELD'
  | 'UNSUPPORTED_SIGN_TYPE'
  | 'BAD_SIGNATURE'
  | 'NOT_VERIFIED_BY_ALIPAY'
  | 'WRONG_APP'
  | 'WRONG_SELLER'
  | 'UNKNOWN_ORDER'
  | 'ORDER_MISMATCH'
  | 'AMOUNT_MISMATCH'
  | 'UNKNOWN_TRADE'

export interface NotificationRejection {
  readonly code: RejectionCode
  /** What is wrong, in words a developer can act on. */
  readonly reason: string
  /** The fields as received, when the body could be read (for the notification log). */
  readonly params: Readonly<Record<string, string>> | undefined
}

export type NotificationResult =
  | { readonly ok: true; readonly notification: AlipayNotification }
  | { readonly ok: false; readonly rejection: NotificationRejection }
