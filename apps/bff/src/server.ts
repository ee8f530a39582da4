import { createServer, type Server } from 'node:http'
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
import Koa from 'koa'
import { type Logger, pino } from 'pino'
import { loadCatalog, type Product } from './catalog.js'
import type { Env } from './env.js'
import { type GatewayOptions, gatewayOptions } from './options.js'

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

/** The SPA's files, with index.html for every client-side route (GET, not /api or /alipay). */
function spa(root: string): Koa.Middleware {
  return async (ctx, next) => {
    await next()
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return
    if (ctx.status !== 404 || ctx.body !== undefined) return
    if (ctx.path.startsWith('/api/') || ctx.path.startsWith('/alipay/')) return
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

/** What an embedding program (the demo, the end-to-end tests) may add to the environment's settings. */
export interface BffExtras {
  readonly hooks?: AlipayKitOptions['hooks']
  readonly logger?: Logger
}

/** Starts the BFF server from a checked environment. */
export async function startBff(env: Env, extras: BffExtras = {}): Promise<RunningBff> {
  const products: Product[] = loadCatalog(env.CATALOG_FILE ?? DEFAULT_CATALOG)
  const gateways = await gatewayOptions(env)
  const logger =
    extras.logger ??
    pino({
      name: 'alipay-kit-bff',
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    })
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(env.PORT, env.HOST, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${port}`
  const publicUrl = env.PUBLIC_URL ?? url
  const store = await openStore(env.DATABASE_URL ?? env.PGLITE_DIR, {
    onListenError: (error) =>
      logger.warn({ err: { message: error.message } }, 'database listener reconnecting'),
  })
  let kit: AlipayKit
  try {
    kit = await createAlipayKit({
      publicUrl,
      ...(env.APP_ORIGINS ? { appOrigins: env.APP_ORIGINS } : {}),
      ...(env.APP_URL ? { appUrl: env.APP_URL } : {}),
      ...(env.RESULT_PAGE ? { pages: { result: env.RESULT_PAGE } } : {}),
      ...(gateways.legacy ? { legacy: gateways.legacy } : {}),
      ...(gateways.open ? { open: gateways.open } : {}),
      ...(env.ALIPAY_SERVICES ? { services: env.ALIPAY_SERVICES } : {}),
      store,
      pricing: catalogPricing(products),
      merchantApiSecret: gateways.merchantApiSecret,
      logger,
      ...(extras.hooks ? { hooks: extras.hooks } : {}),
    })
  } catch (error) {
    server.close()
    await store.close()
    throw error
  }
  const app = new Koa()
  app.proxy = publicUrl.startsWith('https:') // behind a TLS-terminating proxy, trust X-Forwarded-Proto
  app.silent = true
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
  server.on('request', app.callback())
  return {
    url,
    publicUrl,
    mode: gateways.mode,
    merchantApiSecret: gateways.merchantApiSecret,
    store,
    kit,
    server,
    async close() {
      await kit.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await store.close()
    },
  }
}
