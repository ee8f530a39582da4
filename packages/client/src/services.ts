/*
 * The payment services the kit offers: the one list everything else is derived from (the HTTP
 * contract, the BFF's gateways and routes, apps/bff's environment check, the simulator's
 * handlers, the React kit's labels). Adding a service is one entry here plus its core builder;
 * every place that must handle it is typed over this table, so a forgotten part is a type error.
 * The recipe is in ARCHITECTURE.md ("Add a payment service"); the facts in docs/protocol.md.
 */

/** Alipay's two gateways: the legacy "partner/key" gateway (MD5) and the Open Platform (RSA2). */
export type Gateway = 'legacy' | 'open'

/**
 * How the buyer's payment starts: the browser goes to Alipay's cashier (a URL or a POSTed form),
 * or the page shows a QR code the buyer scans with the Alipay app.
 */
export type PaymentStartKind = 'cashier' | 'qr'

/** What one service is at Alipay. */
export interface PayServiceSpec {
  readonly gateway: Gateway
  /** Alipay's name for it: the legacy `service=` or the Open Platform `method=`. */
  readonly alipay: string
  readonly start: PaymentStartKind
  /** The Open Platform `product_code` sent with it (null on the legacy gateway). */
  readonly productCode: string | null
  /**
   * How the buyer pays: at once, into escrow until receipt is confirmed, or as the buyer chooses at
   * the cashier (the legacy dual interface).
   */
  readonly mode: 'instant' | 'escrow' | 'buyer-chooses'
  /**
   * Whether goods are shipped: always (Alipay tracks the logistics), never (virtual goods,
   * donations), or when the items are physical.
   */
  readonly shipping: 'always' | 'never' | 'by-items'
  /** Offered when the kit's `services` option does not list services (a QR code needs a page that draws it). */
  readonly offeredByDefault: boolean
}

export const PAY_SERVICES = {
  /** 即时到账 */
  instant: {
    gateway: 'legacy',
    alipay: 'create_direct_pay_by_user',
    start: 'cashier',
    productCode: null,
    mode: 'instant',
    shipping: 'by-items',
    offeredByDefault: true,
  },
  /** 担保交易 */
  escrow: {
    gateway: 'legacy',
    alipay: 'create_partner_trade_by_buyer',
    start: 'cashier',
    productCode: null,
    mode: 'escrow',
    shipping: 'always',
    offeredByDefault: true,
  },
  /** 标准双接口 */
  dual: {
    gateway: 'legacy',
    alipay: 'trade_create_by_buyer',
    start: 'cashier',
    productCode: null,
    mode: 'buyer-chooses',
    shipping: 'always',
    offeredByDefault: true,
  },
  /** 虚拟物品 */
  digital: {
    gateway: 'legacy',
    alipay: 'create_digital_goods_trade_p',
    start: 'cashier',
    productCode: null,
    mode: 'instant',
    shipping: 'never',
    offeredByDefault: true,
  },
  /** 捐赠 */
  donation: {
    gateway: 'legacy',
    alipay: 'create_donate_trade_p',
    start: 'cashier',
    productCode: null,
    mode: 'instant',
    shipping: 'never',
    offeredByDefault: true,
  },
  /** 电脑网站支付 */
  page: {
    gateway: 'open',
    alipay: 'alipay.trade.page.pay',
    start: 'cashier',
    productCode: 'FAST_INSTANT_TRADE_PAY',
    mode: 'instant',
    shipping: 'by-items',
    offeredByDefault: true,
  },
  /** 手机网站支付 */
  wap: {
    gateway: 'open',
    alipay: 'alipay.trade.wap.pay',
    start: 'cashier',
    productCode: 'QUICK_WAP_WAY',
    mode: 'instant',
    shipping: 'by-items',
    offeredByDefault: true,
  },
  /** 当面付 扫码支付: a QR code the buyer scans with the Alipay app. */
  qr: {
    gateway: 'open',
    alipay: 'alipay.trade.precreate',
    start: 'qr',
    productCode: 'FACE_TO_FACE_PAYMENT',
    mode: 'instant',
    shipping: 'by-items',
    offeredByDefault: false,
  },
} as const satisfies Readonly<Record<string, PayServiceSpec>>

/** A payment service the kit offers: a key of {@link PAY_SERVICES}. */
export type PayService = keyof typeof PAY_SERVICES

/** The services of one gateway. */
export type ServiceOn<G extends Gateway> = {
  [S in PayService]: (typeof PAY_SERVICES)[S]['gateway'] extends G ? S : never
}[PayService]
/** Legacy-gateway payment services: 即时到账, 担保交易, 标准双接口, 虚拟物品, 捐赠. */
export type LegacyService = ServiceOn<'legacy'>
/** Open Platform services: desktop page pay, mobile-web (H5) wap pay, QR code. */
export type OpenService = ServiceOn<'open'>

/** The services whose payment starts the given way. */
export type ServiceStarting<K extends PaymentStartKind> = {
  [S in PayService]: (typeof PAY_SERVICES)[S]['start'] extends K ? S : never
}[PayService]
/** Services that send the buyer to Alipay's cashier (what AlipayPayButton starts). */
export type CashierService = ServiceStarting<'cashier'>

/** Alipay's names (`service=` / `method=`) of the services of a gateway. */
export type AlipayPayName<G extends Gateway = Gateway> =
  (typeof PAY_SERVICES)[ServiceOn<G>]['alipay']

/** Every service, in the registry's order. */
export const PAY_SERVICE_NAMES = Object.keys(PAY_SERVICES) as readonly PayService[]

/** The services of one gateway, in the registry's order. */
export function servicesOn<G extends Gateway>(gateway: G): readonly ServiceOn<G>[] {
  return PAY_SERVICE_NAMES.filter(
    (name): name is ServiceOn<G> => PAY_SERVICES[name].gateway === gateway,
  )
}

export const LEGACY_SERVICES: readonly LegacyService[] = servicesOn('legacy')
export const OPEN_SERVICES: readonly OpenService[] = servicesOn('open')

export function isPayService(value: unknown): value is PayService {
  return typeof value === 'string' && Object.hasOwn(PAY_SERVICES, value)
}

/** The service Alipay names `alipayName` (a legacy `service` or an Open Platform `method`), if the kit offers it. */
export function serviceForAlipayName(alipayName: string): PayService | undefined {
  return PAY_SERVICE_NAMES.find((name) => PAY_SERVICES[name].alipay === alipayName)
}
