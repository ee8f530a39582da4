import { type KeyObject, randomBytes } from 'node:crypto'
import { chinaTimestamp } from '@alipay-kit/core'
import type { Faults } from '../faults.js'
import { type Charset, encodeForm } from '../http/form.js'
import { legacySign, openNotificationSign } from '../signing.js'
import { chargedFen, refundedFen, type Trade, yuan } from '../trades.js'

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
  // gmt_refund is "yyyy-MM-dd HH:mm:ss.S" (异步通知说明: 2015-04-29 15:45:57.320).
  return {
    refund_fee: yuan(refundedFen(trade)),
    gmt_refund: `${chinaTimestamp(new Date(last.at))}.${String(last.at % 1000).padStart(3, '0')}`,
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
  const amount = faults.amount ?? yuan(chargedFen(trade))
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
      // Alipay's example names price and quantity even for a total_fee request.
      price: trade.price ?? amount,
      quantity: trade.quantity ?? '1',
      seller_id: sellerId,
      seller_email: merchant.sellerEmail,
      buyer_id: trade.buyer?.userId,
      buyer_email: trade.buyer?.email,
      gmt_create: timestamp(trade.createdAt),
      gmt_payment: timestamp(trade.paidAt),
      gmt_close: trade.tradeStatus === 'TRADE_CLOSED' ? timestamp(nowMs) : undefined,
      // A trade notification names a refund by its status and time only, never its amount: the
      // amount comes in the refund batch's own result (docs/protocol.md, "Legacy refunds").
      gmt_refund:
        trade.refundStatus === 'REFUND_SUCCESS' ? timestamp(trade.refunds.at(-1)?.at) : undefined,
      is_total_fee_adjust: trade.adjustedFen === undefined ? 'N' : 'Y',
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
      auth_app_id: merchant.appId,
      charset: charset === 'gbk' ? 'GBK' : 'utf-8',
      version: '1.0',
      out_trade_no: trade.outTradeNo,
      trade_no: trade.tradeNo,
      subject: trade.subject,
      body: trade.body,
      trade_status: trade.tradeStatus,
      total_amount: amount,
      receipt_amount: trade.paidAt === undefined ? undefined : yuan(trade.totalFen),
      invoice_amount: trade.paidAt === undefined ? undefined : yuan(trade.totalFen),
      buyer_pay_amount: trade.paidAt === undefined ? undefined : yuan(trade.totalFen),
      point_amount: trade.paidAt === undefined ? undefined : '0.00',
      seller_id: sellerId,
      seller_email: merchant.sellerEmail,
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

/** One line of a refund batch's result: `SUCCESS` or the refusal's code. */
export interface RefundLineResult {
  readonly tradeNo: string
  readonly amount: string
  readonly result: string
}

/**
 * A refund batch's result as Alipay sends it to the batch's notify_url (docs/protocol.md,
 * "Legacy refunds"): notify_type=batch_refund_notify, batch_no, success_num and result_details
 * (`trade_no^amount^result` joined by `#`), MD5-signed in the request's charset. No seller, no
 * out_trade_no.
 */
export function buildRefundBatchNotification(
  batch: { readonly batchNo: string; readonly charset: Charset },
  results: readonly RefundLineResult[],
  merchant: MerchantIdentity,
  notifyId: string,
): NotificationContent {
  const fields: Record<string, string> = {
    notify_time: chinaTimestamp(new Date()),
    notify_type: 'batch_refund_notify',
    notify_id: notifyId,
    batch_no: batch.batchNo,
    success_num: String(results.filter((line) => line.result === 'SUCCESS').length),
    result_details: results
      .map((line) => `${line.tradeNo}^${line.amount}^${line.result}`)
      .join('#'),
  }
  fields.sign = legacySign(new Map(Object.entries(fields)), merchant.key, batch.charset)
  fields.sign_type = 'MD5'
  return {
    params: fields,
    body: encodeForm(fields, batch.charset),
    contentType: `application/x-www-form-urlencoded; charset=${batch.charset === 'gbk' ? 'GBK' : 'utf-8'}`,
    charset: batch.charset,
    faults: [],
  }
}
