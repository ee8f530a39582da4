import { type OpenService, PAY_SERVICES, type PaymentStart } from '@alipay-kit/client'
import {
  AlipayGatewayError,
  AlipayKitError,
  chinaTimestamp,
  formatYuan,
  type OpenClient,
  type OpenRequest,
  type OpenResponse,
  parseYuan,
  type TradeStatus,
  verifyOpenNotification,
  verifyOpenSignedParams,
} from '@alipay-kit/core'
import { gatewayText } from './fetch-text.js'
import type { PaymentGateway, Starter, TradeFacts } from './types.js'

/** A QR code stays payable two hours at most, whatever is asked (docs/protocol.md, "QR code"). */
const QR_MAX_MINUTES = 120

/** An Open Platform gateway that can also call any method server-to-server (OAuth login uses it). */
export type OpenGateway = PaymentGateway & {
  /** Calls a method server-to-server and verifies the answer over its exact bytes. */
  call(request: OpenRequest): Promise<OpenResponse>
  /**
   * The trade bill of a day (yyyy-MM-dd, China time) as Alipay serves it (a zip), or undefined
   * when Alipay has none (isp.bill_not_exist: not generated yet, or nothing happened that day).
   */
  tradeBill(day: string): Promise<Uint8Array | undefined>
}

function refused(answer: OpenResponse, method: string): OpenResponse {
  if (!answer.success)
    throw new AlipayGatewayError(
      answer.subCode ?? answer.code,
      `Alipay refused ${method}: ${answer.subCode ?? answer.code} ${answer.subMsg ?? answer.msg}`,
    )
  return answer
}

/** Each Open Platform service's start (docs/protocol.md, "Open Platform payment services"). */
function openStarters(
  alipay: OpenClient,
  call: (request: OpenRequest) => Promise<OpenResponse>,
): { readonly [S in OpenService]: Starter } {
  const biz = (order: TradeFacts) => ({
    out_trade_no: order.id,
    total_amount: formatYuan(order.amountFen),
    subject: order.subject,
  })
  // The cashier closes the trade at the order's expiry (docs/protocol.md, "Expiry").
  const expiring = (order: TradeFacts) => ({ time_expire: chinaTimestamp(order.expiresAt) })
  const cashier = (request: OpenRequest): PaymentStart => ({
    kind: 'cashier',
    url: request.url,
    form: {
      action: `${alipay.config.gateway}?charset=utf-8`,
      charset: 'utf-8',
      fields: request.params,
    },
  })
  return {
    page: (order, urls) =>
      cashier(
        alipay.pagePay(
          { ...biz(order), ...expiring(order), product_code: PAY_SERVICES.page.productCode },
          urls,
        ),
      ),
    wap: (order, urls) =>
      cashier(
        alipay.wapPay(
          { ...biz(order), ...expiring(order), product_code: PAY_SERVICES.wap.productCode },
          urls,
        ),
      ),
    async qr(order, urls) {
      const method = PAY_SERVICES.qr.alipay
      const qrMinutes = Math.min(order.payableMinutes, QR_MAX_MINUTES)
      const answer = refused(
        await call(
          alipay.precreate(
            {
              ...biz(order),
              product_code: PAY_SERVICES.qr.productCode,
              qr_code_timeout_express: `${qrMinutes}m`,
              timeout_express: `${order.payableMinutes}m`,
            },
            { notifyUrl: urls.notifyUrl },
          ),
        ),
        method,
      )
      const qrCode = answer.data.qr_code
      if (typeof qrCode !== 'string' || qrCode === '')
        throw new AlipayGatewayError('UNTRUSTED_ANSWER', `Alipay's ${method} answer has no qr_code`)
      // The code lives qrMinutes from its start (a refresh starts a new one), never past the
      // order's own expiry. The request is the same every time (Alipay takes a precreate again
      // for an unpaid out_trade_no whose parameters have not changed: one trade, a new code).
      const startsAt =
        order.startsAt?.getTime() ?? order.expiresAt.getTime() - order.payableMinutes * 60_000
      return {
        kind: 'qr',
        qrCode,
        expiresAt: new Date(
          Math.min(startsAt + qrMinutes * 60_000, order.expiresAt.getTime()),
        ).toISOString(),
      }
    },
  }
}

/** The Open Platform (RSA2): page, wap and QR-code pay, query, refund, close, OAuth. */
export function openGateway(alipay: OpenClient, doFetch: typeof fetch): OpenGateway {
  const call = async (request: OpenRequest): Promise<OpenResponse> => {
    const text = await gatewayText(doFetch, alipay.config.gateway, {
      method: 'POST',
      body: request.body,
    })
    try {
      return alipay.verifyResponse(request.method, text)
    } catch (error) {
      throw new AlipayGatewayError('isv.invalid-signature', (error as Error).message, {
        cause: error,
      })
    }
  }
  const starters = openStarters(alipay, call)

  return {
    kind: 'open',
    call,
    async tradeBill(day) {
      const method = 'alipay.data.dataservice.bill.downloadurl.query'
      const answer = await call(alipay.billDownloadUrlQuery({ bill_type: 'trade', bill_date: day }))
      // The documented enumeration says BILL_NOT_EXIST; Alipay answers isp.bill_not_exist
      // (docs/protocol.md, "The daily bill"): either means no bill.
      if (!answer.success && /bill[_-]not[_-]exist/i.test(answer.subCode ?? '')) return undefined
      refused(answer, method)
      const url = answer.data.bill_download_url
      if (typeof url !== 'string' || !/^https?:\/\//.test(url))
        throw new AlipayGatewayError('UNTRUSTED_ANSWER', `${method} answered no bill_download_url`)
      try {
        const response = await doFetch(url, { signal: AbortSignal.timeout(30_000) })
        if (!response.ok)
          throw new Error(`HTTP ${response.status} (the link lives 30 seconds: ask again)`)
        return new Uint8Array(await response.arrayBuffer())
      } catch (error) {
        throw new AlipayGatewayError(
          'GATEWAY_UNREACHABLE',
          `The bill of ${day} could not be downloaded: ${(error as Error).message}`,
          { cause: error },
        )
      }
    },
    async startPayment(order, urls) {
      const start = starters[order.service as OpenService]
      if (!start)
        throw new AlipayKitError('MISUSE', `${order.service} is not an Open Platform service`)
      return start(order, urls, undefined, {})
    },
    verifyNotification: async (raw) => verifyOpenNotification(alipay.config, raw),
    verifyReturn: async (raw) => verifyOpenSignedParams(alipay.config, raw),
    async query(orderId) {
      const answer = await call(alipay.tradeQuery({ out_trade_no: orderId }))
      if (!answer.success && answer.subCode === 'ACQ.TRADE_NOT_EXIST') return undefined
      refused(answer, 'alipay.trade.query')
      const data = answer.data
      // Amounts come as strings; the documented answer shows them as JSON numbers too
      // (docs/protocol.md, "Gateway answers"), whose shortest text is the amount as written.
      const text = (name: string) => {
        const value = data[name]
        if (typeof value === 'string') return value
        return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
      }
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
      refused(
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
      refused(await call(alipay.tradeClose({ out_trade_no: order.id })), 'alipay.trade.close')
    },
    async ship() {
      throw new AlipayGatewayError(
        'HAS_NO_PRIVILEGE',
        'Open Platform trades are instant: there is no escrow to ship (use a legacy escrow or dual order)',
      )
    },
  }
}
