import type { Gateway, ReconciliationView } from '@alipay-kit/client'
import Router from '@koa/router'
import type { Context, Middleware, Next } from 'koa'
import compose from 'koa-compose'
import type { Registry } from 'prom-client'
import { type AlipayKitOptions, type ResolvedConfig, resolveConfig } from './config.js'
import type { KitContext } from './context.js'
import { OrderEvents } from './events/bus.js'
import { buildGateways } from './gateway/build.js'
import { hookedEvents } from './hooks/hooks.js'
import { HookRunner } from './hooks/runner.js'
import { apiScope } from './http/api-scope.js'
import { errorHandler } from './http/error-handler.js'
import { cors, csrfGuard } from './http/origins.js'
import { requestLog } from './http/request-log.js'
import { securityHeaders } from './http/security-headers.js'
import { Sessions } from './http/session.js'
import { TokenSeal } from './http/token-seal.js'
import { kitJobs } from './jobs/all.js'
import { type JobPass, JobScheduler } from './jobs/scheduler.js'
import { RateLimits, unlimited } from './limits/rate-limits.js'
import { RefusalHold } from './limits/refusal-hold.js'
import { StreamCaps } from './limits/stream-caps.js'
import { redisTokenBuckets, storeTokenBuckets } from './limits/token-buckets.js'
import { KitMetrics } from './metrics/kit-metrics.js'
import { PATHS } from './paths.js'
import { reconcileDay } from './reconcile/reconcile-day.js'
import { outboxBacklog } from './repositories/backlog.js'
import { addressRoutes } from './routes/addresses.js'
import { healthRoutes } from './routes/health.js'
import { loginRoutes } from './routes/login.js'
import { merchantRoutes } from './routes/merchant.js'
import { metricsRoutes } from './routes/metrics.js'
import { notifyRoutes } from './routes/notify.js'
import { orderRoutes } from './routes/orders.js'
import { sessionRoutes } from './routes/session.js'
import { StatusApplier } from './status/applier.js'
import { migrate } from './store/migrations.js'
import type { Store } from './store/types.js'
import { tracedFetch } from './tracing/tracer.js'

export interface AlipayKit {
  /** Every route as one Koa middleware. Mount it before any body parser: notifications are read raw. */
  readonly middleware: Middleware
  /**
   * Security headers for everything your server sends, the SPA's files and the API (CSP allowing
   * this origin and the configured Alipay gateways, no framing, HSTS behind https, a referrer
   * policy that keeps order tokens on this site): mount it first, `app.use(kit.securityHeaders)`.
   */
  readonly securityHeaders: Middleware
  readonly store: Store
  readonly events: OrderEvents
  /**
   * The kit's Prometheus registry (prom-client): notifications by outcome, batches, backlogs,
   * streams, store errors. Served at GET /metrics when `metricsToken` is set.
   */
  readonly metrics: Registry
  /** The background jobs (src/jobs): their names, and a pass of one now. */
  readonly jobs: {
    readonly names: readonly string[]
    run(name: string): Promise<JobPass>
  }
  /** Runs due hook jobs now (failed ones waiting for retry, orphans of a crashed instance). */
  sweepHooks(): Promise<void>
  /**
   * Reconciles a day's Alipay bill (yyyy-MM-dd, China time, before today) against the orders now,
   * keeps the result and answers it (koa README, "The daily bill"). The `daily-bill` job does
   * yesterday on its own.
   */
  reconcile(date: string): Promise<ReconciliationView>
  /** Stops jobs and listeners, ends open status streams (the store stays open: it is yours). */
  close(): Promise<void>
}

/** The per-client limits of the config, counted in Redis or the store; pass-through when off. */
function limitsOf(
  config: ResolvedConfig,
  store: Store,
  metrics: KitMetrics,
  hold: RefusalHold,
): KitContext['limits'] {
  const options = config.rateLimits
  if (!options) return { orders: unlimited, logins: unlimited, api: unlimited, streams: undefined }
  const buckets = options.redis ? redisTokenBuckets(options.redis) : storeTokenBuckets(store)
  const limits = new RateLimits(options, buckets, config.clock, metrics, config.logger, hold)
  return {
    orders: limits.middleware('orders'),
    logins: limits.middleware('logins'),
    api: limits.middleware('api'),
    streams: new StreamCaps(options.streams, metrics),
  }
}

/** Alipay's notify paths: no request log line (the notification's own line says more). */
const NOTIFY_PATHS: ReadonlySet<string> = new Set(Object.values(PATHS.notify))

/**
 * The Alipay BFF as Koa middleware: login (quick login and OAuth), the buyer's Alipay addresses,
 * orders priced on the server, notifications applied exactly once, SSE status, merchant
 * operations, and the background jobs. Runs the store's migrations before it answers.
 *
 * @example
 * const store = await openStore('.data/bff')
 * const kit = await createAlipayKit({ publicUrl: 'https://shop.example', store, legacy: { partner, key },
 *   pricing: catalogPricing(products), merchantApiSecret: process.env.MERCHANT_API_SECRET })
 * new Koa().use(kit.middleware).listen(3000)
 */
export async function createAlipayKit(options: AlipayKitOptions): Promise<AlipayKit> {
  const config = resolveConfig(options)
  const store = options.store
  await migrate(store)
  const hooksOption = options.hooks ?? {}
  const events = new OrderEvents(store, config.logger)
  const hookLockMs = options.hookLockMs ?? 60_000
  let wakeWebhooks = () => {}
  const streams = new Set<() => void>()
  const hold = new RefusalHold(
    config.rateLimits?.holdRefusalsMs ?? 0,
    config.rateLimits?.maxHeldRefusals ?? 1,
  )
  const metrics = new KitMetrics(
    {
      backlog: () => outboxBacklog(store),
      streams: () => streams.size,
      heldRefusals: () => hold.size,
    },
    { processMetrics: config.processMetrics },
  )
  const limits = limitsOf(config, store, metrics, hold)
  const hooks: HookRunner = new HookRunner(store, hooksOption, config.logger, {
    lockMs: hookLockMs,
    maxAttempts: 8,
    batchPending: () => applier.pending,
  })
  // Only events some hook listens to get outbox jobs.
  const applier = new StatusApplier(store, hookedEvents(hooksOption), {
    hookLockMs,
    maxBatch: 64,
    parallel: 2,
    clock: config.clock,
    webhookUrls: config.webhooks.urls,
    // Deliveries start right after their commit, not at the next poll (set once jobs run).
    onWebhooks: () => wakeWebhooks(),
    onBatch: (size, seconds) => metrics.batch(size, seconds),
    finishedJobs: hooks,
  })
  const kit: KitContext = {
    config,
    store,
    sessions: new Sessions(
      store,
      config.sessionTtlMs,
      config.legacy ? TokenSeal.fromSecret(config.legacy.config.key) : undefined,
    ),
    pricing: options.pricing,
    hooks,
    applier,
    events,
    metrics,
    limits,
    streams,
    gateways: buildGateways(config, tracedFetch(config.fetch), {
      antiPhishing: config.antiPhishing,
      itBPay: config.legacyItBPay,
    }),
    callbacks: (gateway: Gateway) => ({
      notifyUrl: `${config.publicUrl}${PATHS.notify[gateway]}`,
      returnUrl: `${config.publicUrl}${PATHS.paymentReturn[gateway]}`,
    }),
  }
  const scheduler = new JobScheduler(
    kit,
    kitJobs({
      hookSweepMs: options.hookSweepMs ?? 10_000,
      sweepMs: config.sweepMs,
      webhookPollMs: config.webhookPollMs,
    }),
  )
  await events.start()
  if (options.runJobs !== false) {
    scheduler.start()
    wakeWebhooks = () => scheduler.soon('webhook-delivery')
  }

  // Paths match exactly as written: the guards below judge every variant (case, escapes, doubled
  // slashes) as the path it imitates (http/api-scope.ts).
  const api = new Router({ sensitive: true })
  sessionRoutes(api, kit)
  loginRoutes(api, kit)
  addressRoutes(api, kit)
  orderRoutes(api, kit)
  merchantRoutes(api, kit, options.merchantApiSecret)
  notifyRoutes(api, kit)
  healthRoutes(api, kit)
  metricsRoutes(api, kit)

  const guard = csrfGuard(config.allowedOrigins)
  const corsForApi = cors(config.allowedOrigins)
  // The scope of the path, judged once per request on its canonical form (http/api-scope.ts).
  const scoped = (ctx: Context, next: Next) => {
    ctx.state.akitScope = apiScope(ctx.path)
    return next()
  }
  const scopeOf = (ctx: Context) => ctx.state.akitScope as ReturnType<typeof apiScope>
  const onlyBrowserApi = (ctx: Context, next: Next) =>
    scopeOf(ctx) === 'browser' ? guard(ctx, next) : next()
  // Every browser API request counts against the client's API limit; notifications, returns and
  // the merchant API never do.
  const limitBrowserApi = (ctx: Context, next: Next) =>
    scopeOf(ctx) === 'browser' ? limits.api(ctx, next) : next()
  const middleware = compose([
    scoped,
    // A notification gets one log line, its outcome (status/notification.ts), not a request line too.
    requestLog(config.logger, (path) => NOTIFY_PATHS.has(path)),
    errorHandler(config.logger, (where) => metrics.storeError(where)),
    (ctx: Context, next: Next) => (scopeOf(ctx) !== 'none' ? corsForApi(ctx, next) : next()),
    onlyBrowserApi,
    limitBrowserApi,
    api.routes(),
    api.allowedMethods(),
  ]) as Middleware

  return {
    middleware,
    securityHeaders: securityHeaders(config),
    store,
    metrics: metrics.registry,
    events,
    jobs: {
      names: scheduler.jobs.map((job) => job.name),
      run: (name) => scheduler.run(name),
    },
    sweepHooks: async () => {
      await scheduler.run('hook-sweep')
    },
    reconcile: (date) => reconcileDay(kit, date),
    async close() {
      await scheduler.stop()
      for (const end of [...kit.streams]) end()
      await kit.hooks.drain()
      await events.stop()
    },
  }
}
