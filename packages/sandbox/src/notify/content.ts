import { type KeyObject, randomBytes } from 'node:crypto'
import { chinaTimestamp } from '@alipay-kit/core'
import type { Faults } from '../faults.js'
import { type Charset, encodeForm } from '../http/form.js'
import { legacySign, openNotificationSign } from '../signing.js'
import { refundedFen, type Trade, yuan } from '../trades.js'

/** The merchant's side of things the notification names. */
export interface MerchantIdentity {
  readonly partner: string
  readonly key: string
  readonly sellerEmail: string
  readonly appId: string
  readonly alipayPrivateKey: KeyObject
}

export interface NotificationContent {
  readonly params: Record<string, string>
  readonly body: string
  readonly contentType: string
  readonly charset: Charset
  readonly faults: string[]
}

const TRICKY = 'a+b=c&d 50% 龙井茶'
const OTHER_SELLER = '2088000000000000'

/** A fresh notify_id in Alipay's style (hex, 32+ characters). */
export function newNotifyId(): string {
  return randomBytes(18).toString('hex')
}

function timestamp(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : chinaTimestamp(new Date(ms))
}

function compact(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  )
}

/** What the latest refund contributes to an Open Platform notification. */
function openRefundFields(trade: Trade): Record<string, string | undefined> {
  const last = trade.refunds.at(-1)
  if (!last) return {}
  return {
    refund_fee: yuan(refundedFen(trade)),
    gmt_refund: `${chinaTimestamp(new Date(last.at))}.000`,
    out_biz_no: last.id,
  }
}

/**
 * The notification for the trade's current status, signed as Alipay signs it (MD5 on the legacy
 * gateway over the charset's bytes; RSA2 without sign and sign_type on the Open Platform), with
 * the faults in force applied and named.
 */
export function buildNotification(
  trade: Trade,
  merchant: MerchantIdentity,
  faults: Faults,
  notifyId: string,
  nowMs: number,
): NotificationContent {
  const applied: string[] = []
  const charset: Charset = faults.gbk ? 'gbk' : trade.gateway === 'legacy' ? trade.charset : 'utf-8'
  if (faults.gbk) applied.push('gbk')
  const amount = faults.amount ?? yuan(trade.totalFen)
  if (faults.amount) applied.push(`amount=${faults.amount}`)
  const sellerId = faults.otherSeller ? OTHER_SELLER : merchant.partner
  if (faults.otherSeller) applied.push('otherSeller')
  const tricky = faults.trickyValues ? TRICKY : undefined
  if (tricky) applied.push('trickyValues')
  const notifyTime = chinaTimestamp(new Date())

  let fields: Record<string, string>
  if (trade.gateway === 'legacy') {
    fields = compact({
      notify_id: notifyId,
      notify_time: notifyTime,
      notify_type: 'trade_status_sync',
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      subject: trade.subject,
      body: trade.body,
      payment_type: trade.service === 'create_donate_trade_p' ? '4' : '1',
      trade_status: trade.tradeStatus,
      refund_status: trade.refundStatus,
      total_fee: amount,
      price: trade.price,
      quantity: trade.quantity,
      seller_id: sellerId,
      seller_email: merchant.sellerEmail,
      buyer_id: trade.buyer?.userId,
      buyer_email: trade.buyer?.email,
      gmt_create: timestamp(trade.createdAt),
      gmt_payment: timestamp(trade.paidAt),
      gmt_close: trade.tradeStatus === 'TRADE_CLOSED' ? timestamp(nowMs) : undefined,
      gmt_refund:
        trade.refundStatus === 'REFUND_SUCCESS' ? timestamp(trade.refunds.at(-1)?.at) : undefined,
      // The total refunded so far, as Alipay reports it with refund notifications.
      refund_fee: trade.refunds.length > 0 ? yuan(refundedFen(trade)) : undefined,
      is_total_fee_adjust: 'N',
      use_coupon: 'N',
      discount: '0.00',
      extra_common_param: tricky ?? trade.passback,
    })
    fields.sign = legacySign(new Map(Object.entries(fields)), merchant.key, charset)
    fields.sign_type = 'MD5'
  } else {
    fields = compact({
      notify_id: notifyId,
      notify_time: notifyTime,
      notify_type: 'trade_status_sync',
      app_id: merchant.appId,
      charset: charset === 'gbk' ? 'GBK' : 'utf-8',
      version: '1.0',
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      subject: trade.subject,
      body: trade.body,
      trade_status: trade.tradeStatus,
      total_amount: amount,
      receipt_amount: trade.paidAt === undefined ? undefined : yuan(trade.totalFen),
      buyer_pay_amount: trade.paidAt === undefined ? undefined : yuan(trade.totalFen),
      seller_id: sellerId,
      buyer_id: trade.buyer?.userId,
      buyer_logon_id: trade.buyer?.email.replace(/^(.{2}).*(@.*)$/, '$1***$2'),
      gmt_create: timestamp(trade.createdAt),
      gmt_payment: timestamp(trade.paidAt),
      gmt_close: trade.tradeStatus === 'TRADE_CLOSED' ? timestamp(nowMs) : undefined,
      fund_bill_list:
        trade.paidAt === undefined
          ? undefined
          : JSON.stringify([{ amount: yuan(trade.totalFen), fundChannel: 'ALIPAYACCOUNT' }]),
      passback_params: tricky ?? trade.passback,
      ...openRefundFields(trade),
    })
    fields.sign = openNotificationSign(
      new Map(Object.entries(fields)),
      merchant.alipayPrivateKey,
      charset,
    )
    fields.sign_type = 'RSA2'
  }
  if (faults.badSignature) {
    const sign = fields.sign as string
    fields.sign = (sign[0] === 'a' ? 'b' : 'a') + sign.slice(1)
    applied.push('badSignature')
  }
  return {
    params: fields,
    body: encodeForm(fields, charset),
    contentType: `application/x-www-form-urlencoded; charset=${charset === 'gbk' ? 'GBK' : 'utf-8'}`,
    charset,
    faults: applied,
  }
}
