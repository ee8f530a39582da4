import type { LegacyService, PaymentStart } from '@alipay-kit/client'
import {
  AlipayGatewayError,
  AlipayKitError,
  chinaTimestamp,
  formatYuan,
  type LegacyClient,
  type LegacyRequest,
  parseYuan,
  type RefundStatus,
  type TradeStatus,
  verifyLegacyNotificationWithGateway,
  verifyLegacySignedParamsWithGateway,
} from '@alipay-kit/core'
import { gatewayText } from './fetch-text.js'
import type {
  BuyerContext,
  CallbackUrls,
  ExtraParams,
  PaymentGateway,
  Starter,
  TradeFacts,
} from './types.js'

/** The legacy gateway: the payment operations, and quick login (which anti-phishing covers too). */
export interface LegacyGateway extends PaymentGateway {
  /** Where to send the buyer to log in with Alipay (alipay.auth.authorize). */
  quickLoginUrl(returnUrl: string, buyer: BuyerContext): Promise<string>
}

/**
 * The batch_no of a refund (docs/protocol.md, "Legacy refunds"): the China day it was first asked
 * for, then its request number's letters and digits. Its result names the refund `batch-<batch_no>`.
 */
export function legacyBatchNo(requestNo: string, requestedAt?: Date): string {
  const day = chinaTimestamp(requestedAt).slice(0, 10).replace(/-/g, '')
  return `${day}${requestNo
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 24)
    .padEnd(3, '0')}`
}

/** Escrow and dual trades need a logistics group; the kit ships at the seller's cost by default. */
const DEFAULT_LOGISTICS = {
  logistics_type: 'EXPRESS',
  logistics_fee: '0.00',
  logistics_payment: 'SELLER_PAY',
} as const

function receiver(order: TradeFacts): Record<string, string> {
  const address = order.address
  if (!address) return {}
  const phone = address.phone.replace(/[\s-]/g, '')
  return {
    receive_name: address.recipient.slice(0, 128),
    receive_address:
      `${address.province.name}${address.city.name}${address.district.name}${address.street}`.slice(
        0,
        256,
      ),
    ...(address.postcode && /^\d{6}$/.test(address.postcode)
      ? { receive_zip: address.postcode }
      : {}),
    ...(/^1\d{10}$/.test(phone)
      ? { receive_mobile: phone }
      : { receive_phone: phone.slice(0, 30) }),
  }
}

/** Each legacy service's payment request (docs/protocol.md, "Legacy payment services"). */
function legacyStarters(
  alipay: LegacyClient,
  expiry: boolean,
): { readonly [S in LegacyService]: Starter } {
  const cashier = (request: LegacyRequest): PaymentStart => ({
    kind: 'cashier',
    url: request.url,
    form: {
      action: `${alipay.config.gateway}?_input_charset=${alipay.config.charset}`,
      charset: alipay.config.charset,
      fields: request.params,
    },
  })
  const common = (
    order: TradeFacts,
    urls: CallbackUrls,
    token: string | undefined,
    extra: ExtraParams,
  ) => ({
    out_trade_no: order.id,
    subject: order.subject,
    notify_url: urls.notifyUrl,
    return_url: urls.returnUrl,
    ...(token ? { token } : {}),
    ...extra,
  })
  const goods = (order: TradeFacts) => ({ price: formatYuan(order.amountFen), quantity: '1' })
  return {
    instant: (order, urls, token, extra) =>
      cashier(
        alipay.directPay({
          ...common(order, urls, token, extra),
          total_fee: formatYuan(order.amountFen),
          // Alipay closes the trade this long after the buyer opened it (docs/protocol.md, "Expiry").
          ...(expiry ? { it_b_pay: `${order.payableMinutes}m` } : {}),
        }),
      ),
    escrow: (order, urls, token, extra) =>
      cashier(
        alipay.escrowPay({
          ...common(order, urls, token, extra),
          ...receiver(order),
          ...goods(order),
          logistics: DEFAULT_LOGISTICS,
        }),
      ),
    dual: (order, urls, token, extra) =>
      cashier(
        alipay.dualPay({
          ...common(order, urls, token, extra),
          ...receiver(order),
          ...goods(order),
          logistics: [DEFAULT_LOGISTICS],
        }),
      ),
    digital: (order, urls, token, extra) =>
      cashier(alipay.digitalGoodsPay({ ...common(order, urls, token, extra), ...goods(order) })),
    donation: (order, urls, token, extra) =>
      cashier(
        alipay.donatePay({
          ...common(order, urls, token, extra),
          total_fee: formatYuan(order.amountFen),
        }),
      ),
  }
}

/**
 * The legacy "partner/key" gateway (MD5): instant, escrow, dual, virtual goods and donation
 * payments, quick login. With `antiPhishing` (the contract's 防钓鱼 is on), every request that
 * sends the buyer to Alipay first asks query_timestamp for a fresh key and names the buyer's IP
 * (docs/protocol.md, "Anti-phishing").
 */
export function legacyGateway(
  alipay: LegacyClient,
  doFetch: typeof fetch,
  options: { readonly antiPhishing: boolean; readonly itBPay: boolean } = {
    antiPhishing: false,
    itBPay: true,
  },
): LegacyGateway {
  const fetchText = (url: string) => gatewayText(doFetch, url)
  const call = async (request: LegacyRequest) => {
    const answer = alipay.parseAnswer(await fetchText(request.url))
    if (!answer.success)
      throw new AlipayGatewayError(
        answer.error ?? 'UNKNOWN',
        `Alipay refused ${request.service}: ${answer.error}`,
      )
    if (answer.signatureValid === false)
      throw new AlipayGatewayError(
        'ILLEGAL_SIGN',
        `The answer to ${request.service} is not signed with this shop's key`,
      )
    return answer
  }
  const starters = legacyStarters(alipay, options.itBPay)
  /** anti_phishing_key and exter_invoke_ip, when the contract asks for them. */
  const antiPhishing = async (buyer: BuyerContext): Promise<ExtraParams> => {
    if (!options.antiPhishing) return {}
    const answer = await call(alipay.queryTimestamp())
    const key = answer.fields.encrypt_key
    if (!key)
      throw new AlipayGatewayError(
        'UNTRUSTED_ANSWER',
        "Alipay's query_timestamp answer has no encrypt_key",
      )
    return { anti_phishing_key: key, exter_invoke_ip: buyer.ip }
  }

  return {
    kind: 'legacy',
    async startPayment(order, urls, buyer) {
      const start = starters[order.service as LegacyService]
      if (!start)
        throw new AlipayKitError('MISUSE', `${order.service} is not a legacy-gateway service`)
      return start(order, urls, buyer.token, await antiPhishing(buyer))
    },
    async quickLoginUrl(returnUrl, buyer) {
      return alipay.quickLogin({ return_url: returnUrl, ...(await antiPhishing(buyer)) }).url
    },
    verifyNotification: (raw) => verifyLegacyNotificationWithGateway(alipay.config, raw, fetchText),
    verifyReturn: (raw) => verifyLegacySignedParamsWithGateway(alipay.config, raw, fetchText),
    async query(orderId) {
      const answer = alipay.parseAnswer(
        await fetchText(alipay.tradeQuery({ out_trade_no: orderId }).url),
      )
      if (!answer.success && answer.error === 'TRADE_NOT_EXIST') return undefined
      if (!answer.success)
        throw new AlipayGatewayError(
          answer.error ?? 'UNKNOWN',
          `Alipay refused single_trade_query: ${answer.error}`,
        )
      if (answer.signatureValid !== true)
        throw new AlipayGatewayError(
          'ILLEGAL_SIGN',
          'The trade query answer is unsigned or not signed with this key',
        )
      const fields = answer.fields
      const refundFen = fields.refund_fee ? parseYuan(fields.refund_fee, 'refund_fee') : undefined
      return {
        report: {
          tradeStatus: fields.trade_status as TradeStatus | undefined,
          refundStatus: fields.refund_status as RefundStatus | undefined,
        },
        amountFen: parseYuan(fields.total_fee ?? '', 'total_fee'),
        tradeNo: fields.trade_no,
        buyerId: fields.buyer_id,
        refundFen,
        params: fields,
      }
    },
    async refund(order, amountFen, reason, requestNo, notifyUrl, requestedAt) {
      if (!order.tradeNo)
        throw new AlipayGatewayError(
          'TRADE_NOT_EXIST',
          'The order has no Alipay trade number yet: it was never paid',
        )
      await call(
        alipay.refundWithoutPassword({
          batch_no: legacyBatchNo(requestNo, requestedAt),
          refund_date: chinaTimestamp(),
          notify_url: notifyUrl,
          details: [
            {
              trade_no: order.tradeNo,
              amount: formatYuan(amountFen),
              reason: reason.replace(/[\^|$#]/g, ' '),
            },
          ],
        }),
      )
    },
    async close(order) {
      await call(alipay.closeTrade({ out_order_no: order.id }))
    },
    async ship(order, input) {
      if (!order.tradeNo)
        throw new AlipayGatewayError('TRADE_NOT_EXIST', 'The order has no Alipay trade yet')
      await call(
        alipay.sendGoods({
          trade_no: order.tradeNo,
          logistics_name: input.logisticsName,
          transport_type: input.transportType ?? 'EXPRESS',
          ...(input.invoiceNo ? { invoice_no: input.invoiceNo } : {}),
        }),
      )
    },
  }
}
