import type { Fen } from '../shared/money.js'
import type { RefundStatus, TradeStatus } from '../state/statuses.js'

/** A verified trade notification, normalised across both gateways. `params` keeps every field verbatim. */
export interface TradeNotification {
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

export interface NotificationRejection {
  readonly code: RejectionCode
  /** What is wrong, in words a developer can act on. */
  readonly reason: string
  /** The fields as received, when the body could be read (for the notification log). */
  readonly params: Readonly<Record<string, string>> | undefined
}

export type NotificationResult =
  | { readonly ok: true; readonly notification: TradeNotification }
  | { readonly ok: false; readonly rejection: NotificationRejection }
