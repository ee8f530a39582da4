import Router from '@koa/router'
import type { Context, Middleware, Next } from 'koa'
import compose from 'koa-compose'
import { type AlipayKitOptions, resolveConfig } from './config.js'
import { buildGateways, type KitContext, PATHS } from './context.js'
import { OrderEvents } from './events/bus.js'
import { sweepExpired } from './flows.js'
import { ApiError, errorBody } from './http/errors.js'
import { cors, csrfGuard } from './http/origins.js'
import { requestLog } from './http/request-log.js'
import { Sessions } from './http/session.js'
import { StatusApplier } from './notify/apply.js'
import { HookRunner, hookedEvents } from './notify/hooks.js'
import { addressRoutes } from './routes/addresses.js'
import { healthRoutes } from './routes/health.js'
import { loginRoutes } from './routes/login.js'
import { merchantRoutes } from './routes/merchant.js'
import { notifyRoutes } from './routes/notify.js'
import { orderRoutes } from './routes/orders.js'
import { sessionRoutes } from './routes/session.js'
import { migrate } from './store/migrations.js'
import type { Store } from './store/types.js'

export interface AlipayKit {
  /** Every route as one Koa middleware. Mount it before any body parser: notifications are read raw. */
  readonly middleware: Middleware
  readonly store: Store
  readonly events: OrderEvents
  /** Runs due hook jobs now (failed ones waiting for retry, orphans of a crashed instance). */
  sweepHooks(): Promise<void>
  /** Stops timers and listeners (the store stays open: it is yours). */
  close(): Promise<void>
}

/** Turns thrown errors into JSON answers; a 500 never shows a stack trace, only a log line does. */
function errors(kit: KitContext) {
  return async (ctx: Context, next: Next) => {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/'))
        throw new ApiError(404, 'NOT_FOUND', `No route ${ctx.method} ${ctx.path}`)
    } catch (caught) {
      let error = caught
      if (!(error instanceof ApiError)) {
        const status = (error as { status?: number }).status
        const storeDown = /ECONNREFUSED|terminat|Connection|timeout/i.test(
          (error as Error).message ?? '',
        )
        if (status === 413) error = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The body is too large')
        else if (status !== undefined && status >= 400 && status < 500)
          error = new ApiError(status, 'INVALID_INPUT', (error as Error).message)
        else {
          kit.config.logger.error(
            {
              req: { method: ctx.method, path: ctx.path },
              err: { message: (error as Error).message, stack: (error as Error).stack },
            },
            'unhandled error',
          )
          error = storeDown
            ? new ApiError(503, 'STORE_UNAVAILABLE', 'The store is unavailable; try again shortly')
            : new ApiError(500, 'INTERNAL', 'Internal error; see the BFF log')
        }
      }
      const apiError = error as ApiError
      ctx.status = apiError.status
      ctx.set('Cache-Control', 'no-store')
      ctx.body = errorBody(apiError)
    }
  }
}

/**
 * The Alipay BFF as Koa middleware: login (quick login and OAuth), the buyer's Alipay addresses,
 * orders priced on the server, notifications applied exactly once, SSE status, merchant
 * operations. Runs the store's migrations before it answers.
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
  const hooks = new HookRunner(store, hooksOption, config.logger, {
    lockMs: hookLockMs,
    maxAttempts: 8,
    sweepMs: options.hookSweepMs ?? 10_000,
  })
  const kit: KitContext = {
    config,
    store,
    sessions: new Sessions(store, config.sessionTtlMs),
    pricing: options.pricing,
    hooks,
    // Only events some hook listens to get outbox jobs.
    applier: new StatusApplier(store, hookedEvents(hooksOption), {
      hookLockMs,
      maxBatch: 64,
      parallel: 2,
    }),
    events,
    streams: new Set(),
    ...buildGateways(config),
    urls: {
      notify: (kind) => `${config.publicUrl}${PATHS.notify[kind]}`,
      paymentReturn: (kind) => `${config.publicUrl}${PATHS.paymentReturn[kind]}`,
    },
  }
  await events.start()
  hooks.start()
  const cleanup = setInterval(() => void sweepExpired(store).catch(() => {}), 10 * 60_000)
  cleanup.unref()

  const api = new Router()
  sessionRoutes(api, kit)
  loginRoutes(api, kit)
  addressRoutes(api, kit)
  orderRoutes(api, kit)
  merchantRoutes(api, kit, options.merchantApiSecret)
  notifyRoutes(api, kit)
  healthRoutes(api, kit)

  const guard = csrfGuard(config.allowedOrigins)
  const onlyBrowserApi = (ctx: Context, next: Next) =>
    ctx.path.startsWith('/api/') && !ctx.path.startsWith('/api/merchant')
      ? guard(ctx, next)
      : next()
  const corsForApi = cors(config.allowedOrigins)
  const middleware = compose([
    requestLog(config.logger),
    errors(kit),
    (ctx: Context, next: Next) => (ctx.path.startsWith('/api/') ? corsForApi(ctx, next) : next()),
    onlyBrowserApi,
    api.routes(),
    api.allowedMethods(),
  ]) as Middleware

  return {
    middleware,
    store,
    events,
    sweepHooks: () => hooks.sweep(),
    async close() {
      clearInterval(cleanup)
      for (const end of [...kit.streams]) end()
      await hooks.stop()
      await events.stop()
    },
  }
}
