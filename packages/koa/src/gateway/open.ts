import type { PayService } from '@alipay-kit/client'
import {
  formatYuan,
  type OpenClient,
  type OpenRequest,
  type OpenResponse,
  parseYuan,
  type TradeStatus,
  verifyOpenNotification,
  verifyOpenSignedParams,
} from '@alipay-kit/core'
import { GatewayCallError, gatewayText, type PaymentGateway } from './types.js'

const SERVICES: readonly PayService[] = ['page', 'wap']

/** The Open Platform (RSA2): desktop page pay and mobile wap pay, query, refund, close, OAuth. */
export function openGateway(
  alipay: OpenClient,
  doFetch: typeof fetch,
): PaymentGateway & {
  /** Calls a method server-to-server and verifies the answer over its exact bytes. */
  call(request: OpenRequest): Promise<OpenResponse>
} {
  const call = async (request: OpenRequest): Promise<OpenResponse> => {
    const text = await gatewayText(doFetch, alipay.config.gateway, {
      method: 'POST',
      body: request.body,
    })
    try {
      return alipay.verifyResponse(request.method, text)
    } catch (error) {
      throw new GatewayCallError('isv.invalid-signature', (error as Error).message)
    }
  }
  const ensure = (answer: OpenResponse, method: string) => {
    if (!answer.success)
      throw new GatewayCallError(
        answer.subCode ?? answer.code,
        `Alipay refused ${method}: ${answer.subCode ?? answer.code} ${answer.subMsg ?? answer.msg}`,
      )
    return answer
  }

  return {
    kind: 'open',
    services: SERVICES,
    call,
    startPayment(order, urls) {
      const biz = {
        out_trade_no: order.id,
        total_amount: formatYuan(order.amountFen),
        subject: order.subject,
      }
      const options = { notifyUrl: urls.notifyUrl, returnUrl: urls.returnUrl }
      const request =
        order.service === 'wap' ? alipay.wapPay(biz, options) : alipay.pagePay(biz, options)
      return {
        url: request.url,
        form: {
          action: `${alipay.config.gateway}?charset=utf-8`,
          charset: 'utf-8',
          fields: request.params,
        },
      }
    },
    verifyNotification: async (raw) => verifyOpenNotification(alipay.config, raw),
    verifyReturn: async (raw) => verifyOpenSignedParams(alipay.config, raw),
    async query(orderId) {
      const answer = await call(alipay.tradeQuery({ out_trade_no: orderId }))
      if (!answer.success && answer.subCode === 'ACQ.TRADE_NOT_EXIST') return undefined
      ensure(answer, 'alipay.trade.query')
      const data = answer.data
      const text = (name: string) =>
        typeof data[name] === 'string' ? (data[name] as string) : undefined
      return {
        report: { tradeStatus: text('trade_status') as TradeStatus | undefined },
        amountFen: parseYuan(text('total_amount') ?? '', 'total_amount'),
        tradeNo: text('trade_no'),
        buyerId: text('buyer_user_id'),
        refundFen: undefined,
        params: Object.fromEntries(
          Object.entries(data).filter(
            (entry): entry is [string, string] => typeof entry[1] === 'string',
          ),
        ),
      }
    },
    async refund(order, amountFen, reason, requestNo) {
      ensure(
        await call(
          alipay.tradeRefund({
            out_trade_no: order.id,
            refund_amount: formatYuan(amountFen),
            out_request_no: requestNo,
            refund_reason: reason.slice(0, 256),
          }),
        ),
        'alipay.trade.refund',
      )
    },
    async close(order) {
      ensure(await call(alipay.tradeClose({ out_trade_no: order.id })), 'alipay.trade.close')
    },
    async ship() {
      throw new GatewayCallError(
        'HAS_NO_PRIVILEGE',
        'Open Platform trades are instant: there is no escrow to ship (use a legacy escrow or dual order)',
      )
    },
  }
}
