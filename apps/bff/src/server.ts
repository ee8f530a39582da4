import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type AlipayKit,
  type AlipayKitOptions,
  catalogPricing,
  createAlipayKit,
  openStore,
  REDACTED_PATHS,
  type Store,
} from '@alipay-kit/koa'
import { send } from '@koa/send'
import { Redis } from 'ioredis'
import Koa from 'koa'
import { type Logger, pino } from 'pino'
import { loadCatalog, type Product } from './catalog.js'
import { type Env, EnvError, proxyHops, secretOf } from './env.js'
import { type GatewayOptions, gatewayOptions } from './options.js'
import { capConnectionsPerAddress, connectionCapOf, serverTimeouts } from './sockets.js'

const DEFAULT_CATALOG = join(dirname(fileURLToPath(import.meta.url)), '..', 'catalog.json')

export interface RunningBff {
  readonly url: string
  readonly publicUrl: string
  readonly mode: GatewayOptions['mode']
  readonly merchantApiSecret: string
  readonly store: Store
  readonly kit: AlipayKit
  readonly server: Server
  close(): Promise<void>
}

/** Paths the BFF itself answers: never the SPA's index.html, even when nothing answered them. */
const SERVER_PATHS = /^\/(api|alipay)\/|^\/(healthz|metrics)$/

/** The SPA's files, with index.html for every client-side route (GET, not the server's own paths). */
function spa(root: string): Koa.Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return
    if (ctx.status !== 404 || ctx.body !== undefined) return
    if (SERVER_PATHS.test(ctx.path)) return
    try {
      await send(ctx, ctx.path, {
        root,
        index: 'index.html',
        maxage: ctx.path.startsWith('/assets/') ? 31536000000 : 0,
        immutable: ctx.path.startsWith('/assets/'),
      })
    } catch {
      await send(ctx, '/index.html', { root })
    }
  }
}

/** The answer while the server starts: 503, `fail` to Alipay's notifications (it retries). */
function starting(request: IncomingMessage, response: ServerResponse): void {
  const notify = (request.url ?? '').startsWith('/alipay/notify')
  response.writeHead(503, {
    'content-type': notify ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'retry-after': '5',
  })
  response.end(
    notify
      ? 'fail'
      : JSON.stringify({
          error: {
            code: 'STARTING',
            message: 'The server is starting (migrating its database); try again in a few seconds',
          },
        }),
  )
  request.resume()
}

/** WEBHOOK_URL with its secret (WEBHOOK_SECRET or _FILE), or nothing; one without the other is refused. */
function webhooksOf(env: Env): Pick<AlipayKitOptions, 'webhooks'> {
  const secret = secretOf(env, 'WEBHOOK_SECRET')?.trim()
  if (!env.WEBHOOK_URL?.length) {
    if (secret)
      throw new EnvError('WEBHOOK_SECRET is set but WEBHOOK_URL is not: set both, or neither')
    return {}
  }
  if (!secret || secret.length < 16)
    throw new EnvError(
      'WEBHOOK_URL needs WEBHOOK_SECRET (or WEBHOOK_SECRET_FILE) of at least 16 characters (e.g. `openssl rand -hex 24`): receivers verify each delivery with it',
    )
  return { webhooks: { urls: env.WEBHOOK_URL, secret } }
}

/** METRICS_TOKEN (or _FILE): /metrics is served to a scraper that sends it; without it, not at all. */
function metricsOf(env: Env): Pick<AlipayKitOptions, 'metricsToken'> {
  const token = secretOf(env, 'METRICS_TOKEN')?.trim()
  if (token === undefined) return {}
  if (token.length < 16)
    throw new EnvError(
      'METRICS_TOKEN must be at least 16 characters (e.g. `openssl rand -hex 24`); leave it unset to not serve /metrics',
    )
  return { metricsToken: token }
}

/** What an embedding program (the demo, the end-to-end tests) may add to the environment's settings. */
export interface BffExtras {
  readonly hooks?: AlipayKitOptions['hooks']
  readonly logger?: Logger
  /** The kit's clock (tests run it on the simulator's test clock). */
  readonly clock?: () => number
}

/** Starts the BFF server from a checked environment. */
export async function startBff(env: Env, extras: BffExtras = {}): Promise<RunningBff> {
  const products: Product[] = loadCatalog(env.CATALOG_FILE ?? DEFAULT_CATALOG)
  const gateways = await gatewayOptions(env)
  const hops = proxyHops(env)
  const logger =
    extras.logger ??
    pino({
      name: 'alipay-kit-bff',
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    })
  // Until the store is migrated and the kit built, the port is open but answers 503: Alipay gets
  // `fail` (and retries), browsers a JSON error, and nobody waits on a connection never answered.
  const server = createServer(serverTimeouts(env))
  capConnectionsPerAddress(server, connectionCapOf(env, hops))
  server.on('request', starting)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`
  const publicUrl = env.PUBLIC_URL ?? url
  let store: Store | undefined
  let kit: AlipayKit
  // Rate limits count in Redis when REDIS_URL is set (shared by every instance), else in the store.
  const redis =
    env.REDIS_URL && env.RATE_LIMITS !== false
      ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
      : undefined
  redis?.on('error', (error: Error) =>
    logger.warn({ err: { message: error.message } }, 'redis unreachable: rate limits not counted'),
  )
  try {
    store = await openStore(env.DATABASE_URL ?? env.PGLITE_DIR, {
      onListenError: (error) =>
        logger.warn({ err: { message: error.message } }, 'database listener reconnecting'),
    })
    kit = await createAlipayKit({
      publicUrl,
      ...(env.APP_ORIGINS ? { appOrigins: env.APP_ORIGINS } : {}),
      ...(env.APP_URL ? { appUrl: env.APP_URL } : {}),
      ...(env.RESULT_PAGE ? { pages: { result: env.RESULT_PAGE } } : {}),
      ...(gateways.legacy ? { legacy: gateways.legacy } : {}),
      ...(gateways.open ? { open: gateways.open } : {}),
      ...(env.ALIPAY_SERVICES ? { services: env.ALIPAY_SERVICES } : {}),
      ...(env.ALIPAY_ANTI_PHISHING !== undefined ? { antiPhishing: env.ALIPAY_ANTI_PHISHING } : {}),
      ...(env.PAYMENT_EXPIRY_MINUTES !== undefined
        ? { paymentExpiryMinutes: env.PAYMENT_EXPIRY_MINUTES }
        : {}),
      ...webhooksOf(env),
      ...metricsOf(env),
      ...(redis
        ? { rateLimits: { redis } }
        : env.RATE_LIMITS === false
          ? { rateLimits: false }
          : {}),
      ...(env.ALIPAY_LEGACY_IT_B_PAY !== undefined
        ? { legacyItBPay: env.ALIPAY_LEGACY_IT_B_PAY }
        : {}),
      store,
      pricing: catalogPricing(products),
      merchantApiSecret: gateways.merchantApiSecret,
      logger,
      ...(extras.hooks ? { hooks: extras.hooks } : {}),
      ...(extras.clock ? { clock: extras.clock } : {}),
    })
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await store?.close()
    redis?.disconnect()
    throw error
  }
  const app = new Koa()
  // Behind proxies (TRUST_PROXY_HOPS of them), trust X-Forwarded-Proto and X-Forwarded-For, and
  // of the latter only the addresses they added: the buyer's IP (rate limits, anti-phishing) is
  // the one the outermost proxy saw, never one the buyer wrote into the header. None by default:
  // reached directly, the headers are the client's own words (issue 25, finding 6).
  app.proxy = hops > 0
  app.maxIpsCount = hops
  if (hops === 0 && publicUrl.startsWith('https:'))
    logger.warn(
      { publicUrl },
      'PUBLIC_URL is https but this server speaks plain http and trusts no proxy: the session cookie is not Secure and every buyer has the address of whatever connects here. Behind a proxy that terminates TLS and sets X-Forwarded-For and X-Forwarded-Proto, set TRUST_PROXY_HOPS=1 (one per proxy in the chain), and let only the proxy reach this port (apps/bff/README.md)',
    )
  app.silent = true
  // Before anything answers: the SPA's files and the API alike carry them.
  app.use(kit.securityHeaders)
  if (env.STATIC_DIR) app.use(spa(env.STATIC_DIR))
  app.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === '/api/catalog') {
      ctx.set('Cache-Control', 'no-cache')
      ctx.body = { products }
      return
    }
    await next()
  })
  app.use(kit.middleware)
  server.off('request', starting)
  server.on('request', app.callback())
  const ready = store
  return {
    url,
    publicUrl,
    mode: gateways.mode,
    merchantApiSecret: gateways.merchantApiSecret,
    store: ready,
    kit,
    server,
    async close() {
      await kit.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await ready.close()
      redis?.disconnect()
    },
  }
}
