import { createOpenConfig, type OpenConfig, type OpenConfigInput } from './config.js'
import { signOpenRequest } from './request.js'
import { type OpenResponse, verifyOpenResponse } from './response.js'
import * as services from './services.js'

type Bound<F> = F extends (config: OpenConfig, ...args: infer A) => infer R
  ? (...args: A) => R
  : never
type ServiceName = {
  [K in keyof typeof services]: (typeof services)[K] extends (
    config: OpenConfig,
    ...args: never[]
  ) => unknown
    ? K
    : never
}[keyof typeof services]

/** Every Open Platform builder, bound to one configuration whose keys were parsed once. */
export type OpenClient = { readonly config: OpenConfig } & {
  readonly [K in ServiceName]: Bound<(typeof services)[K]>
} & {
  /** Signs any other Open Platform method. */
  sign: Bound<typeof signOpenRequest>
  /** Verifies a gateway answer to `method` over its exact bytes. */
  verifyResponse(method: string, body: string): OpenResponse
}

/**
 * The Open Platform, checked once and bound.
 *
 * @example
 * const alipay = createOpenClient({ appId: '2021000000000000', privateKey, alipayPublicKey })
 * const { url } = alipay.pagePay({ out_trade_no: 'A1001', total_amount: '0.01', subject: 'Tea' },
 *   { notifyUrl: 'https://shop.example/alipay/notify', returnUrl: 'https://shop.example/alipay/return' })
 */
export function createOpenClient(input: OpenConfigInput): OpenClient {
  const config = createOpenConfig(input)
  return {
    config,
    pagePay: (biz, options) => services.pagePay(config, biz, options),
    wapPay: (biz, options) => services.wapPay(config, biz, options),
    appPayOrderString: (biz, options) => services.appPayOrderString(config, biz, options),
    precreate: (biz, options) => services.precreate(config, biz, options),
    tradeQuery: (biz) => services.tradeQuery(config, biz),
    tradeRefund: (biz) => services.tradeRefund(config, biz),
    refundQuery: (biz) => services.refundQuery(config, biz),
    tradeClose: (biz) => services.tradeClose(config, biz),
    billDownloadUrlQuery: (biz) => services.billDownloadUrlQuery(config, biz),
    oauthToken: (codeOrRefresh) => services.oauthToken(config, codeOrRefresh),
    userInfoShare: (authToken) => services.userInfoShare(config, authToken),
    oauthAuthorizeUrl: (input) => services.oauthAuthorizeUrl(config, input),
    sign: (method, options) => signOpenRequest(config, method, options),
    verifyResponse: (method, body) => verifyOpenResponse(config, method, body),
  }
}
