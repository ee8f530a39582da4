import { type LegacyAnswer, parseLegacyAnswer } from './answer.js'
import { createLegacyConfig, type LegacyConfig, type LegacyConfigInput } from './config.js'
import { isNotifyVerified, notifyVerifyUrl, signLegacyRequest } from './request.js'
import * as services from './services.js'

type Bound<F> = F extends (config: LegacyConfig, ...args: infer A) => infer R
  ? (...args: A) => R
  : never

/** Every legacy service, bound to one checked configuration. */
export type LegacyClient = { readonly config: LegacyConfig } & {
  readonly [K in keyof typeof services as (typeof services)[K] extends (...args: never[]) => unknown
    ? K
    : never]: Bound<(typeof services)[K]>
} & {
  /** The unsigned notify_verify URL for a notification's notify_id. */
  notifyVerifyUrl(notifyId: string): string
  /** Whether notify_verify's answer means the notification is genuine. */
  isNotifyVerified(answer: string): boolean
  /** Reads an XML answer of the gateway, checking its signature. */
  parseAnswer(xml: string): LegacyAnswer
  /** Signs any other legacy service by name. */
  sign(
    service: string,
    params: Readonly<Record<string, string | undefined>>,
  ): ReturnType<typeof signLegacyRequest>
}

/**
 * The legacy "partner/key" gateway, checked once and bound.
 *
 * @example
 * const alipay = createLegacyClient({ partner: '2088101122136241', key: process.env.ALIPAY_KEY })
 * const { url } = alipay.directPay({ out_trade_no: 'A1001', subject: 'Tea', total_fee: '0.01',
 *   notify_url: 'https://shop.example/alipay/notify', return_url: 'https://shop.example/alipay/return' })
 */
export function createLegacyClient(input: LegacyConfigInput): LegacyClient {
  const config = createLegacyConfig(input)
  return {
    config,
    directPay: (i) => services.directPay(config, i),
    escrowPay: (i) => services.escrowPay(config, i),
    dualPay: (i) => services.dualPay(config, i),
    digitalGoodsPay: (i) => services.digitalGoodsPay(config, i),
    donatePay: (i) => services.donatePay(config, i),
    quickLogin: (i) => services.quickLogin(config, i),
    addressQuery: (i) => services.addressQuery(config, i),
    queryTimestamp: () => services.queryTimestamp(config),
    tradeQuery: (i) => services.tradeQuery(config, i),
    refundWithPassword: (i) => services.refundWithPassword(config, i),
    refundWithoutPassword: (i) => services.refundWithoutPassword(config, i),
    sendGoods: (i) => services.sendGoods(config, i),
    closeTrade: (i) => services.closeTrade(config, i),
    notifyVerifyUrl: (notifyId) => notifyVerifyUrl(config, notifyId),
    isNotifyVerified,
    parseAnswer: (xml) => parseLegacyAnswer(config, xml),
    sign: (service, params) => signLegacyRequest(config, service, params),
  } as LegacyClient
}
