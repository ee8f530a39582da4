import type { PaymentStart, PayService } from '@alipay-kit/client'
import {
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
import { newSecret } from '../http/session.js'
import { GatewayCallError, gatewayText, type PaymentGateway, type TradeFacts } from './types.js'

const SERVICES: readonly PayService[] = ['instant', 'escrow', 'dual', 'digital', 'donation']

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

/** The legacy "partner/key" gateway (MD5): instant, escrow, dual, virtual goods and donation payments. */
export function legacyGateway(alipay: LegacyClient, doFetch: typeof fetch): PaymentGateway {
  const fetchText = (url: string) => gatewayText(doFetch, url)
  const call = async (request: LegacyRequest) => {
    const answer = alipay.parseAnswer(await fetchText(request.url))
    if (!answer.success)
      throw new GatewayCallError(
        answer.error ?? 'UNKNOWN',
        `Alipay refused ${request.service}: ${answer.error}`,
      )
    if (answer.signatureValid === false)
      throw new GatewayCallError(
        'ILLEGAL_SIGN',
        `The answer to ${request.service} is not signed with this shop's key`,
      )
    return answer
  }

  return {
    kind: 'legacy',
    services: SERVICES,
    startPayment(order, urls, token): PaymentStart {
      const common = {
        out_trade_no: order.id,
        subject: order.subject,
        notify_url: urls.notifyUrl,
        return_url: urls.returnUrl,
        ...(token ? { token } : {}),
      }
      const total = formatYuan(order.amountFen)
      const goods = { price: total, quantity: '1' }
      let request: LegacyRequest
      switch (order.service) {
        case 'instant':
          request = alipay.directPay({ ...common, total_fee: total })
          break
        case 'escrow':
          request = alipay.escrowPay({
            ...common,
            ...receiver(order),
            ...goods,
            logistics: DEFAULT_LOGISTICS,
          })
          break
        case 'dual':
          request = alipay.dualPay({
            ...common,
            ...receiver(order),
            ...goods,
            logistics: [DEFAULT_LOGISTICS],
          })
          break
        case 'digital':
          request = alipay.digitalGoodsPay({ ...common, ...goods })
          break
        case 'donation':
          request = alipay.donatePay({ ...common, total_fee: total })
          break
        default:
          throw new Error(`${order.service} is not a legacy service`)
      }
      return {
        url: request.url,
        form: {
          action: `${alipay.config.gateway}?_input_charset=${alipay.config.charset}`,
          charset: alipay.config.charset,
          fields: request.params,
        },
      }
    },
    verifyNotification: (raw) => verifyLegacyNotificationWithGateway(alipay.config, raw, fetchText),
    verifyReturn: (raw) => verifyLegacySignedParamsWithGateway(alipay.config, raw, fetchText),
    async query(orderId) {
      const answer = alipay.parseAnswer(
        await fetchText(alipay.tradeQuery({ out_trade_no: orderId }).url),
      )
      if (!answer.success && answer.error === 'TRADE_NOT_EXIST') return undefined
      if (!answer.success)
        throw new GatewayCallError(
          answer.error ?? 'UNKNOWN',
          `Alipay refused single_trade_query: ${answer.error}`,
        )
      if (answer.signatureValid !== true)
        throw new GatewayCallError(
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
    async refund(order, amountFen, reason, requestNo, notifyUrl) {
      if (!order.tradeNo)
        throw new GatewayCallError(
          'TRADE_NOT_EXIST',
          'The order has no Alipay trade number yet: it was never paid',
        )
      const day = chinaTimestamp().slice(0, 10).replace(/-/g, '')
      await call(
        alipay.refundWithoutPassword({
          batch_no: `${day}${requestNo
            .replace(/[^A-Za-z0-9]/g, '')
            .slice(0, 24)
            .padEnd(3, '0')}`,
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
        throw new GatewayCallError('TRADE_NOT_EXIST', 'The order has no Alipay trade yet')
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

/** A fresh request number for a refund (batch_no / out_request_no). */
export function newRequestNo(): string {
  return newSecret(12)
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 16)
}
