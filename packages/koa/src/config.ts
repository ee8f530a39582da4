import {
  isPayService,
  type LoginMethod,
  PAY_SERVICE_NAMES,
  PAY_SERVICES,
  type PayService,
} from '@alipay-kit/client'
import {
  AlipayConfigError,
  createLegacyClient,
  createOpenClient,
  isAlipayHost,
  type LegacyClient,
  type LegacyConfigInput,
  type OpenClient,
  type OpenConfigInput,
} from '@alipay-kit/core'
import { type Logger, pino } from 'pino'
import type { Hooks } from './hooks/hooks.js'
import type { RedisClientLike } from './limits/token-buckets.js'
import { webhookUrlProblem } from './merchant/webhook-url.js'
import type { Pricing } from './pricing.js'
import { type ResolvedRetention, type RetentionOptions, retentionOf } from './retention.js'
import type { Store } from './store/types.js'

export interface AlipayKitOptions {
  /**
   * The BFF's public base URL, as Alipay's servers and the buyer's browser reach it
   * (e.g. "https://shop.example"). notify_url and return_url are built from it.
   */
  readonly publicUrl: string
  /** Origins of the SPA, allowed for CORS, `returnTo` and etao's `target_url`. The publicUrl's origin is always allowed. */
  readonly appOrigins?: readonly string[]
  /** Where the SPA is (relative `returnTo` resolves here). Default: the first app origin, else publicUrl. */
  readonly appUrl?: string
  /** SPA pages the BFF redirects to. `{id}` is replaced by the order id. */
  readonly pages?: {
    /** After payment. Default "/orders/{id}". */
    readonly result?: string
  }
  /** The legacy MD5 gateway (quick login, addresses, instant/escrow/dual/virtual/donation). */
  readonly legacy?: LegacyConfigInput
  /**
   * The legacy contract has anti-phishing (防钓鱼) on: each payment and quick login first asks
   * Alipay (query_timestamp) for a fresh key and names the buyer's IP (exter_invoke_ip), or Alipay
   * refuses it with ILLEGAL_ANTI_PHISHING_KEY. The IP is Koa's `ctx.ip`: behind a proxy, set
   * `app.proxy = true` so that it is the buyer's (X-Forwarded-For from your proxy), never a header
   * the buyer could forge. Default false.
   */
  readonly antiPhishing?: boolean
  /**
   * The Open Platform (OAuth login, page and wap pay). Against Alipay's own gateways (production,
   * or the sandbox at alipaydev.com) `sellerId` is required: notifications for another seller of
   * the app are refused by it.
   */
  readonly open?: OpenConfigInput
  /**
   * Services to offer. Default: every service of the configured gateways that is offered by
   * default (PAY_SERVICES in @alipay-kit/client; the QR code needs a page that draws it).
   */
  readonly services?: readonly PayService[]
  readonly store: Store
  /** Prices the items of an order: amounts come from here, never from the browser. */
  readonly pricing: Pricing
  readonly hooks?: Hooks
  /** The secret of the merchant API (Authorization: Bearer …), at least 16 characters. */
  readonly merchantApiSecret: string
  /** pino logger; keys, signatures and tokens are redacted. Default: pino to stdout. */
  readonly logger?: Logger
  /** Ask Alipay (trade query) when no notification came this long after the buyer returned. Default 5000. */
  readonly queryAfterReturnMs?: number
  /**
   * How long a payment stays payable, in minutes (1 to 21600, Alipay's 15 days). Each payment is
   * sent with it (time_expire / timeout_express, legacy it_b_pay) and the sweep closes the order
   * once it passed. Default 30.
   */
  readonly paymentExpiryMinutes?: number
  /**
   * When the sweep asks Alipay about an order still waiting for payment, in minutes after the
   * payment started; then every `sweepEveryMinutes` until it expires. Default [1, 5, 15, 60].
   */
  readonly sweepScheduleMinutes?: readonly number[]
  /** After the schedule, the sweep asks this often, in minutes. Default 60. */
  readonly sweepEveryMinutes?: number
  /**
   * Send the expiry on legacy instant payments as it_b_pay. It needs Alipay's custom timeout
   * (自定义超时) in the contract; without it Alipay refuses the payment with
   * SELF_TIMEOUT_NOT_SUPPORT: set false, and the sweep still closes the order at its expiry.
   * Default true.
   */
  readonly legacyItBPay?: boolean
  /** How often each instance looks for orders due to be swept. Default 15 s. */
  readonly sweepMs?: number
  /**
   * The kit's clock, in ms since the epoch (expiries, the sweep's schedule). Default Date.now; a
   * test moves it together with the simulator's test clock.
   */
  readonly clock?: () => number
  /**
   * Signed webhooks to the merchant's own systems (docs/webhooks.md): every order event is POSTed
   * as JSON to each URL, signed with `secret` (Alipay-Kit-Signature), from an outbox written with
   * the transition, retried with backoff for `retryForMs` (default 3 days) until a 2xx.
   */
  readonly webhooks?: {
    readonly urls: readonly string[]
    readonly secret: string
    readonly retryForMs?: number
  }
  /** How often each instance looks for webhook deliveries due. Default 1 s. */
  readonly webhookPollMs?: number
  /**
   * Serve Prometheus metrics at GET /metrics to requests with `Authorization: Bearer <token>`
   * (at least 16 characters; not the merchant API secret, which can refund). Without it, /metrics
   * is not served; `kit.metrics` still holds the registry for your own endpoint.
   */
  readonly metricsToken?: string
  /** Include Node's process metrics (CPU, memory, event loop lag) in the registry. Default true. */
  readonly processMetrics?: boolean
  /**
   * Limits per client on what anyone on the internet can do: create orders, start logins, call
   * the browser API, hold status streams. Counted per browser session and per IP address (Koa's
   * `ctx.ip`: set `app.proxy` behind a proxy), shared by every instance (the store, or Redis), and
   * answered 429 with Retry-After. Notifications and the merchant API are never limited. Defaults
   * in packages/koa/README.md, "Rate limits"; false turns them off.
   */
  readonly rateLimits?: RateLimitOptions | false
  /** Session lifetime. Default 7 days. */
  readonly sessionTtlMs?: number
  /** fetch for calls to Alipay. Default: global fetch. */
  readonly fetch?: typeof fetch
  /** How often to retry failed hooks and orphaned hook jobs. Default 10 s. */
  readonly hookSweepMs?: number
  /**
   * Run the background jobs (hook retries, cleanup) on this instance. Default true; set false on
   * instances that only answer requests when other instances run the jobs.
   */
  readonly runJobs?: boolean
  /**
   * How long a running hook is presumed alive: after this, another instance takes its job over
   * (the instance may have died). Default 60 s; keep it longer than your slowest hook.
   */
  readonly hookLockMs?: number
  /**
   * How long the notification log keeps verified and unverified entries, and how many unverified
   * messages a minute get an entry of their own (src/retention.ts; packages/koa/README.md,
   * "Background jobs"). Defaults 90 days, 7 days, 60.
   */
  readonly retention?: RetentionOptions
}

/**
 * A limit per client and window: per browser session, and per IP address (higher: the buyers of a
 * campus or an office may share one address). A client gets its allowance at an even pace (60 a
 * minute is one a second), and may run ahead of it by a burst (see `burstMs`).
 */
export interface RateLimitRule {
  readonly perSession: number
  readonly perIp: number
}

export interface RateLimitOptions {
  /** The window the limits' numbers are per, in ms. Default 60000. */
  readonly windowMs?: number
  /**
   * How far ahead of its pace a client may run, in ms of its allowance: a client may send at once
   * what its limit allows in `burstMs`, but at least 5 (or the whole limit, when smaller). Default
   * 10000: a limit of 60 a minute allows 10 at once, then one a second. `windowMs` allows the
   * whole window's allowance at once.
   */
  readonly burstMs?: number
  /** Creating orders and QR codes (POST /api/orders, /api/orders/:id/qr). Default 10 / 60. */
  readonly orders?: RateLimitRule
  /** Starting a login or Alipay's address book. Default 10 / 60. */
  readonly logins?: RateLimitRule
  /** Every browser API request (status streams and polls included). Default 300 / 1200. */
  readonly api?: RateLimitRule
  /** Status streams open at once on one instance, per client and in all. Default 10 / 100 / 5000. */
  readonly streams?: {
    readonly perSession?: number
    readonly perIp?: number
    readonly total?: number
  }
  /** Count in Redis (an ioredis client) instead of the store. */
  readonly redis?: RedisClientLike
  /**
   * How long a refusal (429) is held before it is sent, in ms: a client that waits for its
   * answers then floods at one request per connection and hold. Never longer than the client's
   * wait for its next request. Default 1000; 0 answers at once.
   */
  readonly holdRefusalsMs?: number
  /** Refusals held at once at most (each holds a socket); past that they are sent at once. Default 1000. */
  readonly maxHeldRefusals?: number
}

export interface ResolvedRateLimits {
  readonly windowMs: number
  readonly burstMs: number
  readonly orders: RateLimitRule
  readonly logins: RateLimitRule
  readonly api: RateLimitRule
  readonly streams: { readonly perSession: number; readonly perIp: number; readonly total: number }
  readonly redis: RedisClientLike | undefined
  readonly holdRefusalsMs: number
  readonly maxHeldRefusals: number
}

function positive(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new AlipayConfigError(
      option,
      `${option} must be a whole number above 0; got ${JSON.stringify(value)}`,
    )
  return value
}

function notNegative(value: number, option: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new AlipayConfigError(
      option,
      `${option} must be a whole number of 0 or more; got ${JSON.stringify(value)}`,
    )
  return value
}

function ruleOf(
  input: RateLimitRule | undefined,
  fallback: RateLimitRule,
  option: string,
): RateLimitRule {
  const rule = input ?? fallback
  return {
    perSession: positive(rule.perSession, `rateLimits.${option}.perSession`),
    perIp: positive(rule.perIp, `rateLimits.${option}.perIp`),
  }
}

/** The limits with their defaults, or undefined when turned off. */
function rateLimitsOf(input: RateLimitOptions | false | undefined): ResolvedRateLimits | undefined {
  if (input === false) return undefined
  const options = input ?? {}
  return {
    windowMs: positive(options.windowMs ?? 60_000, 'rateLimits.windowMs'),
    burstMs: positive(options.burstMs ?? 10_000, 'rateLimits.burstMs'),
    orders: ruleOf(options.orders, { perSession: 10, perIp: 60 }, 'orders'),
    logins: ruleOf(options.logins, { perSession: 10, perIp: 60 }, 'logins'),
    api: ruleOf(options.api, { perSession: 300, perIp: 1200 }, 'api'),
    streams: {
      perSession: positive(options.streams?.perSession ?? 10, 'rateLimits.streams.perSession'),
      perIp: positive(options.streams?.perIp ?? 100, 'rateLimits.streams.perIp'),
      total: positive(options.streams?.total ?? 5_000, 'rateLimits.streams.total'),
    },
    redis: options.redis,
    holdRefusalsMs: notNegative(options.holdRefusalsMs ?? 1000, 'rateLimits.holdRefusalsMs'),
    maxHeldRefusals: positive(options.maxHeldRefusals ?? 1000, 'rateLimits.maxHeldRefusals'),
  }
}

/** Keys whose values never reach a log line. */
export const REDACTED_PATHS = [
  '*.sign',
  '*.token',
  '*.key',
  '*.privateKey',
  '*.accessToken',
  '*.access_token',
  '*.auth_code',
  '*.authorization',
  '*.cookie',
  '*.secret',
  '*.merchantApiSecret',
  '*.metricsToken',
  'req.headers.cookie',
  'req.headers.authorization',
]

export function defaultLogger(): Logger {
  return pino({ name: 'alipay-kit', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } })
}

export interface ResolvedConfig {
  readonly publicUrl: string
  readonly appUrl: string
  readonly allowedOrigins: ReadonlySet<string>
  readonly resultPage: string
  readonly legacy: LegacyClient | undefined
  readonly open: OpenClient | undefined
  readonly antiPhishing: boolean
  readonly services: readonly PayService[]
  readonly loginMethods: readonly LoginMethod[]
  readonly queryAfterReturnMs: number
  readonly paymentExpiryMinutes: number
  readonly sweepScheduleMinutes: readonly number[]
  readonly sweepEveryMinutes: number
  readonly legacyItBPay: boolean
  readonly webhooks: {
    readonly urls: readonly string[]
    readonly secret: string
    readonly retryForMs: number
  }
  readonly webhookPollMs: number
  readonly metricsToken: string | undefined
  readonly processMetrics: boolean
  readonly rateLimits: ResolvedRateLimits | undefined
  readonly sweepMs: number
  readonly clock: () => number
  readonly sessionTtlMs: number
  readonly retention: ResolvedRetention
  readonly logger: Logger
  readonly fetch: typeof fetch
}

function origin(value: string, what: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new AlipayConfigError(
      what,
      `${what} must be an absolute URL such as "https://shop.example"; got ${JSON.stringify(value)}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new AlipayConfigError(
      what,
      `${what} must use http or https; got ${JSON.stringify(value)}`,
    )
  return url.origin
}

/** A whole number of minutes within Alipay's range, or a config error naming the option. */
function minutesIn(value: number, option: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new AlipayConfigError(
      option,
      `${option} must be whole minutes from 1 to ${max}; got ${JSON.stringify(value)}`,
    )
  return value
}

/** The webhook settings, checked: http(s) URLs, a secret long enough to be one. */
function webhooksOf(input: AlipayKitOptions['webhooks']): ResolvedConfig['webhooks'] {
  if (!input) return { urls: [], secret: '', retryForMs: 0 }
  for (const url of input.urls) {
    const problem = webhookUrlProblem(url)
    if (problem) throw new AlipayConfigError('webhooks.urls', `webhooks.urls: ${problem}`)
  }
  if (input.urls.length > 0 && input.secret.length < 16)
    throw new AlipayConfigError(
      'webhooks.secret',
      'webhooks.secret must be at least 16 characters (e.g. `openssl rand -hex 24`)',
    )
  return {
    urls: [...input.urls],
    secret: input.secret,
    retryForMs: input.retryForMs ?? 3 * 86_400_000,
  }
}

/**
 * The Open Platform seller, required against Alipay's own gateways: an app_id may be shared by
 * several sellers (or be a service provider's), and only seller_id then tells a notification for
 * this shop from one Alipay genuinely signed for another, which would otherwise pay the order
 * (issue 25, finding 5). The simulator, a test double, may go without it.
 */
function assertSeller(sellerId: string | undefined, gateway: string): void {
  if (sellerId === undefined) {
    if (isAlipayHost(gateway))
      throw new AlipayConfigError(
        'open.sellerId',
        `open.sellerId is required against Alipay's gateway (${new URL(gateway).host}): the seller's 2088… user id (开放平台 → 账户中心), so that a notification for another seller of the same app is refused`,
      )
    return
  }
  if (!/^2088\d{12}$/.test(sellerId))
    throw new AlipayConfigError(
      'open.sellerId',
      `open.sellerId must be the seller's 16-digit user id starting with 2088 (开放平台 → 账户中心); got ${JSON.stringify(sellerId)}`,
    )
}

/** Checks the options once, at start-up, with errors that name the option and what to put there. */
export function resolveConfig(options: AlipayKitOptions): ResolvedConfig {
  const publicOrigin = origin(options.publicUrl, 'publicUrl')
  if (/[?#]/.test(options.publicUrl))
    throw new AlipayConfigError(
      'publicUrl',
      'publicUrl must not carry a query string or fragment (Alipay refuses callback URLs with one)',
    )
  const appOrigins = (options.appOrigins ?? []).map((value) => origin(value, 'appOrigins'))
  const appUrl = (options.appUrl ?? appOrigins[0] ?? publicOrigin).replace(/\/+$/, '')
  origin(appUrl, 'appUrl')
  if (!options.legacy && !options.open)
    throw new AlipayConfigError(
      undefined,
      'Configure at least one gateway: `legacy` (partner + key) or `open` (appId + keys)',
    )
  if (typeof options.merchantApiSecret !== 'string' || options.merchantApiSecret.length < 16)
    throw new AlipayConfigError(
      'merchantApiSecret',
      'merchantApiSecret must be at least 16 characters (e.g. `openssl rand -hex 24`)',
    )
  if (
    options.metricsToken !== undefined &&
    (typeof options.metricsToken !== 'string' || options.metricsToken.length < 16)
  )
    throw new AlipayConfigError(
      'metricsToken',
      'metricsToken must be at least 16 characters (e.g. `openssl rand -hex 24`), or left out to not serve /metrics',
    )
  if (options.metricsToken !== undefined && options.metricsToken === options.merchantApiSecret)
    throw new AlipayConfigError(
      'metricsToken',
      'metricsToken must differ from merchantApiSecret: whoever scrapes metrics must not be able to refund',
    )
  if (typeof options.pricing !== 'function')
    throw new AlipayConfigError(
      'pricing',
      'pricing must be a function that prices items (see catalogPricing)',
    )
  const legacy = options.legacy ? createLegacyClient(options.legacy) : undefined
  if (options.antiPhishing !== undefined && typeof options.antiPhishing !== 'boolean')
    throw new AlipayConfigError('antiPhishing', 'antiPhishing must be true or false')
  if (options.antiPhishing && !legacy)
    throw new AlipayConfigError(
      'antiPhishing',
      'antiPhishing is a setting of the legacy gateway: configure `legacy` (partner + key) too, or leave it out',
    )
  const open = options.open ? createOpenClient(options.open) : undefined
  if (open) assertSeller(options.open?.sellerId, open.config.gateway)
  const configured = (service: PayService) =>
    PAY_SERVICES[service].gateway === 'legacy' ? legacy !== undefined : open !== undefined
  const services =
    options.services ??
    PAY_SERVICE_NAMES.filter((name) => configured(name) && PAY_SERVICES[name].offeredByDefault)
  for (const service of services) {
    if (!isPayService(service))
      throw new AlipayConfigError(
        'services',
        `services: "${service}" is not a payment service; the kit offers ${PAY_SERVICE_NAMES.join(', ')}`,
      )
    if (!configured(service))
      throw new AlipayConfigError(
        'services',
        `services: "${service}" needs the ${PAY_SERVICES[service].gateway} gateway configured; available: ${PAY_SERVICE_NAMES.filter(configured).join(', ')}`,
      )
  }
  return {
    publicUrl: options.publicUrl.replace(/\/+$/, ''),
    appUrl,
    allowedOrigins: new Set([publicOrigin, ...appOrigins]),
    resultPage: options.pages?.result ?? '/orders/{id}',
    legacy,
    open,
    antiPhishing: options.antiPhishing ?? false,
    services,
    loginMethods: [
      ...(legacy ? ['quick_login' as const] : []),
      ...(open ? ['oauth' as const] : []),
    ],
    queryAfterReturnMs: options.queryAfterReturnMs ?? 5_000,
    paymentExpiryMinutes: minutesIn(
      options.paymentExpiryMinutes ?? 30,
      'paymentExpiryMinutes',
      21_600,
    ),
    sweepScheduleMinutes: (options.sweepScheduleMinutes ?? [1, 5, 15, 60]).map((m) =>
      minutesIn(m, 'sweepScheduleMinutes', 21_600),
    ),
    sweepEveryMinutes: minutesIn(options.sweepEveryMinutes ?? 60, 'sweepEveryMinutes', 1_440),
    legacyItBPay: options.legacyItBPay ?? true,
    webhooks: webhooksOf(options.webhooks),
    webhookPollMs: options.webhookPollMs ?? 1_000,
    metricsToken: options.metricsToken,
    processMetrics: options.processMetrics ?? true,
    rateLimits: rateLimitsOf(options.rateLimits),
    sweepMs: options.sweepMs ?? 15_000,
    clock: options.clock ?? Date.now,
    sessionTtlMs: options.sessionTtlMs ?? 7 * 24 * 3600_000,
    retention: retentionOf(options.retention),
    logger: options.logger ?? defaultLogger(),
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
  }
}
