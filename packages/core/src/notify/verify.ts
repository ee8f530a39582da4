import type { LegacyConfig } from '../legacy/config.js'
import { md5Verify } from '../legacy/md5.js'
import { isNotifyVerified, notifyVerifyUrl } from '../legacy/request.js'
import type { OpenConfig } from '../open/config.js'
import { isRsaSignType, rsaVerifyString } from '../open/rsa.js'
import { canonicalString } from '../shared/canonical.js'
import type { AlipayCharset } from '../shared/charset.js'
import type { AlipayInputError } from '../shared/errors.js'
import { type Fen, parseYuan } from '../shared/money.js'
import { isRefundStatus, isTradeStatus } from '../state/statuses.js'
import { explainAmount } from './amount.js'
import { parseNotificationBody } from './form.js'
import { parseRefundBatch } from './refund-batch.js'
import type {
  NotificationRejection,
  NotificationResult,
  RejectionCode,
  TradeNotification,
} from './types.js'

/** The raw request as it arrived: bytes and Content-Type, never a body parser's object. */
export interface RawNotification {
  readonly body: Uint8Array
  readonly contentType?: string | undefined
}

const reject = (
  code: RejectionCode,
  reason: string,
  params?: Readonly<Record<string, string>>,
): NotificationResult => ({
  ok: false,
  rejection: { code, reason, params } satisfies NotificationRejection,
})

function amount(params: Readonly<Record<string, string>>, field: string): Fen | undefined {
  const text = params[field]
  return text === undefined ? undefined : parseYuan(text, field)
}

function normalise(
  gateway: 'legacy' | 'open',
  params: Readonly<Record<string, string>>,
): NotificationResult {
  const amountField = gateway === 'legacy' ? 'total_fee' : 'total_amount'
  for (const field of ['notify_id', 'out_trade_no', amountField]) {
    if (!params[field]) return reject('MISSING_FIELD', `The notification has no ${field}`, params)
  }
  const tradeStatus = params.trade_status
  const refundStatus = params.refund_status
  if (tradeStatus !== undefined && !isTradeStatus(tradeStatus)) {
    return reject('BAD_FIELD', `Unknown trade_status "${tradeStatus}"`, params)
  }
  if (refundStatus !== undefined && !isRefundStatus(refundStatus)) {
    return reject('BAD_FIELD', `Unknown refund_status "${refundStatus}"`, params)
  }
  if (tradeStatus === undefined && refundStatus === undefined) {
    return reject(
      'MISSING_FIELD',
      'The notification carries neither trade_status nor refund_status',
      params,
    )
  }
  let amountFen: Fen
  let refundFen: Fen | undefined
  try {
    amountFen = amount(params, amountField) as Fen
    refundFen = amount(params, 'refund_fee')
  } catch (error) {
    const { field, rule } = error as AlipayInputError
    return reject('BAD_FIELD', `${field} ${rule}`, params)
  }
  // The Open Platform reports a refund as a trade notification carrying refund_fee and gmt_refund.
  const openRefund =
    gateway === 'open' && refundFen !== undefined && params.gmt_refund !== undefined
  const notification: TradeNotification = {
    kind: 'trade',
    gateway,
    notifyId: params.notify_id as string,
    notifyType: params.notify_type ?? 'trade_status_sync',
    notifyTime: params.notify_time,
    outTradeNo: params.out_trade_no as string,
    tradeNo: params.trade_no,
    tradeStatus,
    refundStatus: openRefund ? 'REFUND_SUCCESS' : refundStatus,
    refundId: openRefund ? (params.out_biz_no ?? params.gmt_refund) : undefined,
    amountFen,
    refundFen,
    sellerId: params.seller_id,
    sellerEmail: params.seller_email,
    buyerId: params.buyer_id,
    appId: params.app_id,
    params,
  }
  return { ok: true, notification }
}

/** Signed parameters whose signature checked out, in the charset they were sent in. */
export type SignedParamsResult =
  | {
      readonly ok: true
      readonly params: Readonly<Record<string, string>>
      readonly charset: AlipayCharset
    }
  | { readonly ok: false; readonly rejection: NotificationRejection }

const refuse = (
  code: RejectionCode,
  reason: string,
  params?: Readonly<Record<string, string>>,
): SignedParamsResult => ({ ok: false, rejection: { code, reason, params } })

/**
 * Checks the MD5 signature of anything the legacy gateway signs and sends back: a notification
 * body, or a return redirect's query string (quick login, address choice, payment return), given
 * as raw bytes. A seller id, when present, must be ours.
 */
export function verifyLegacySignedParams(
  config: LegacyConfig,
  raw: RawNotification,
): SignedParamsResult {
  // A message that declares no charset is in the shop's own (docs/protocol.md, "Notifications").
  const parsed = parseNotificationBody(raw.body, raw.contentType, config.charset)
  if (!parsed.ok) return refuse('MALFORMED', parsed.reason)
  const { params, charset } = parsed
  const signType = params.sign_type ?? 'MD5'
  if (signType.toUpperCase() !== 'MD5') {
    return refuse(
      'UNSUPPORTED_SIGN_TYPE',
      `sign_type "${signType}" is not MD5; this shop's legacy gateway signs with MD5`,
      params,
    )
  }
  if (!params.sign) return refuse('MISSING_FIELD', 'The message has no sign', params)
  if (!md5Verify(params, params.sign, config.key, charset)) {
    return refuse(
      'BAD_SIGNATURE',
      `The MD5 signature does not match (charset ${charset}); forged, altered, or signed with another key`,
      params,
    )
  }
  if (params.seller_id !== undefined && params.seller_id !== config.sellerId) {
    return refuse(
      'WRONG_SELLER',
      `seller_id ${params.seller_id} is not this shop's seller ${config.sellerId}`,
      params,
    )
  }
  if (
    params.seller_id === undefined &&
    config.sellerEmail !== undefined &&
    params.seller_email !== undefined &&
    params.seller_email !== config.sellerEmail
  ) {
    return refuse(
      'WRONG_SELLER',
      `seller_email ${params.seller_email} is not this shop's seller`,
      params,
    )
  }
  return { ok: true, params, charset }
}

/**
 * The signature, then notify_verify at the gateway: the two legacy checks. `fetchText` performs
 * the GET (the core does no I/O of its own); a network failure rejects, so Alipay retries later.
 */
export async function verifyLegacySignedParamsWithGateway(
  config: LegacyConfig,
  raw: RawNotification,
  fetchText: (url: string) => Promise<string>,
): Promise<SignedParamsResult> {
  const result = verifyLegacySignedParams(config, raw)
  if (!result.ok) return result
  const notifyId = result.params.notify_id
  if (!notifyId) return refuse('MISSING_FIELD', 'The message has no notify_id', result.params)
  let answer: string
  try {
    answer = await fetchText(notifyVerifyUrl(config, notifyId))
  } catch (error) {
    return refuse(
      'NOT_VERIFIED_BY_ALIPAY',
      `notify_verify could not be asked (${(error as Error).message}); Alipay will retry`,
      result.params,
    )
  }
  if (!isNotifyVerified(answer)) {
    return refuse(
      'NOT_VERIFIED_BY_ALIPAY',
      `notify_verify answered "${answer.trim().slice(0, 40)}" for notify_id ${notifyId}: not issued by Alipay, or expired`,
      result.params,
    )
  }
  return result
}

/**
 * Verifies a legacy (MD5) notification's signature and that it names our seller. The second
 * legacy check, notify_verify, needs the network: use {@link verifyLegacyNotificationWithGateway}.
 */
export function verifyLegacyNotification(
  config: LegacyConfig,
  raw: RawNotification,
): NotificationResult {
  const signed = verifyLegacySignedParams(config, raw)
  return signed.ok ? legacyMessage(signed.params) : signed
}

/**
 * A refund batch's result names no seller (its trades do, and only this partner's key signs it);
 * a trade notification must name its seller (a signed message without one proves nothing about
 * whose money it is).
 */
function legacyMessage(params: Readonly<Record<string, string>>): NotificationResult {
  if (params.notify_type === 'batch_refund_notify') return parseRefundBatch(params)
  if (params.seller_id === undefined && params.seller_email === undefined)
    return reject(
      'WRONG_SELLER',
      'The notification names no seller (seller_id or seller_email)',
      params,
    )
  return normalise('legacy', params)
}

/** Both legacy checks (signature, then notify_verify), then the notification's fields. */
export async function verifyLegacyNotificationWithGateway(
  config: LegacyConfig,
  raw: RawNotification,
  fetchText: (url: string) => Promise<string>,
): Promise<NotificationResult> {
  const signed = await verifyLegacySignedParamsWithGateway(config, raw, fetchText)
  return signed.ok ? legacyMessage(signed.params) : signed
}

/**
 * Checks the RSA signature of anything the Open Platform signs and sends back (a notification
 * body, a payment return's query string): every field but `sign` and `sign_type` (and, as the
 * official SDK does for some alipay.open.public.* messages, with `sign_type` kept); then that
 * app_id is ours, and auth_app_id and seller_id, when present (the seller when configured; the kit
 * requires it against Alipay's own gateways).
 */
export function verifyOpenSignedParams(
  config: OpenConfig,
  raw: RawNotification,
): SignedParamsResult {
  const parsed = parseNotificationBody(raw.body, raw.contentType)
  if (!parsed.ok) return refuse('MALFORMED', parsed.reason)
  const { params, charset } = parsed
  const signType = params.sign_type ?? config.signType
  if (!isRsaSignType(signType) || signType !== config.signType) {
    return refuse(
      'UNSUPPORTED_SIGN_TYPE',
      `sign_type "${signType}" is not the configured ${config.signType}`,
      params,
    )
  }
  if (!params.sign) return refuse('MISSING_FIELD', 'The message has no sign', params)
  // Alipay signs every field it sends but sign (and sign_type), empty ones included: verify over
  // exactly what came (docs/protocol.md, "Notifications").
  // The string with sign_type is built only when the usual one fails: most messages never need it.
  const withoutType = canonicalString(params, { exclude: ['sign', 'sign_type'], dropEmpty: false })
  const verified =
    rsaVerifyString(withoutType, params.sign, config.alipayPublicKey, signType, charset) ||
    (params.sign_type !== undefined &&
      rsaVerifyString(
        canonicalString(params, { exclude: ['sign'], dropEmpty: false }),
        params.sign,
        config.alipayPublicKey,
        signType,
        charset,
      ))
  if (!verified) {
    return refuse(
      'BAD_SIGNATURE',
      "The RSA signature does not verify with Alipay's public key: forged, altered, or signed with another key (an app key is not Alipay's)",
      params,
    )
  }
  if (params.app_id !== config.appId) {
    return refuse(
      'WRONG_APP',
      `app_id ${params.app_id ?? '(none)'} is not this shop's app ${config.appId}`,
      params,
    )
  }
  // auth_app_id is the app of the merchant the trade is for; it differs from app_id only when a
  // service provider's app acts for another merchant (app_auth_token), which the kit never does:
  // every trade it starts is its own app's, so another value is another merchant's message
  // (docs/protocol.md, "Notifications"). The same holds for a return that carries it.
  if (params.auth_app_id !== undefined && params.auth_app_id !== config.appId) {
    return refuse(
      'WRONG_APP',
      `auth_app_id ${params.auth_app_id} is not this shop's app ${config.appId}: the message is for another merchant`,
      params,
    )
  }
  if (config.sellerId !== undefined && params.seller_id !== config.sellerId) {
    return refuse(
      'WRONG_SELLER',
      `seller_id ${params.seller_id ?? '(none)'} is not this shop's seller ${config.sellerId}`,
      params,
    )
  }
  return { ok: true, params, charset }
}

/** Verifies an Open Platform notification ({@link verifyOpenSignedParams}), then reads its fields. */
export function verifyOpenNotification(
  config: OpenConfig,
  raw: RawNotification,
): NotificationResult {
  const signed = verifyOpenSignedParams(config, raw)
  return signed.ok ? normalise('open', signed.params) : signed
}

/** The facts of an order the notification must agree with. */
export interface OrderFacts {
  readonly outTradeNo: string
  readonly amountFen: number
}

/**
 * The business check every integrator forgets: the notification is for this order, and for its
 * full amount, or for an amount its own fields explain ({@link explainAmount}: a seller's price
 * adjustment, a discount the trade names). Returns a rejection, or undefined when it matches.
 */
export function checkNotificationAgainstOrder(
  notification: TradeNotification,
  order: OrderFacts | undefined,
): NotificationRejection | undefined {
  if (!order) {
    return {
      code: 'UNKNOWN_ORDER',
      reason: `out_trade_no ${notification.outTradeNo} is not an order of this shop`,
      params: notification.params,
    }
  }
  if (order.outTradeNo !== notification.outTradeNo) {
    return {
      code: 'ORDER_MISMATCH',
      reason: `The notification is for ${notification.outTradeNo}, not ${order.outTradeNo}`,
      params: notification.params,
    }
  }
  const amount = explainAmount(notification, order.amountFen)
  if (amount.kind === 'unexplained') {
    return { code: 'AMOUNT_MISMATCH', reason: amount.reason, params: notification.params }
  }
  return undefined
}
