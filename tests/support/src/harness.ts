import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import type { PayService } from '@alipay-kit/client'
import {
  type AlipayKit,
  type AlipayKitOptions,
  catalogPricing,
  createAlipayKit,
  HOOK_FOR_EVENT,
  type HookEvent,
  type Hooks,
  REDACTED_PATHS,
  type Store,
} from '@alipay-kit/koa'
import { type RunningSandbox, type SandboxOptions, startSandbox } from '@alipay-kit/sandbox'
import Koa from 'koa'
import { pino } from 'pino'
import { openTestStore } from './pglite-dirs.js'
import { secretsInLogs } from './secrets.js'

export const PRODUCTS = [
  { sku: 'tea-longjing', name: '龙井茶', price: '128.00' },
  { sku: 'tea-pu-erh', name: '普洱茶', price: '58.50' },
  { sku: 'cup', name: '茶杯', price: '0.01' },
  /** Shipped: an order with it needs a delivery address whatever the service. */
  { sku: 'teapot', name: '紫砂壶', price: '88.00', ships: true },
]
export const MERCHANT_SECRET = 'merchant-secret-for-tests-0123456789'

/** A delivery address as the shop's form sends it (Shanghai, matched to its division codes). */
export const SAMPLE_ADDRESS = {
  recipient: '张三',
  phone: '13800000001',
  province: { name: '上海市', code: '31' },
  city: { name: '市辖区', code: '3101' },
  district: { name: '浦东新区', code: '310115' },
  street: '世纪大道100号',
  postcode: '200120',
} as const

/** Every hook call, in order, for assertions ("exactly once"). */
export type HookLog = Array<{ hook: string; orderId: string; key: string; phase: string }>

export function recordingHooks(log: HookLog): Hooks {
  const record = (hook: string) => (event: HookEvent) => {
    log.push({ hook, orderId: event.order.id, key: event.key, phase: event.order.phase })
  }
  // Every hook of the one list (packages/koa/src/hooks/hooks.ts).
  return Object.fromEntries(Object.values(HOOK_FOR_EVENT).map((hook) => [hook, record(hook)]))
}

/** Log lines written during a test, to check that no secret reaches them. */
export class LogCapture extends Writable {
  readonly lines: string[] = []
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean))
    done()
  }
}

export interface Bff {
  readonly url: string
  readonly kit: AlipayKit
  readonly server: Server
  close(): Promise<void>
}

/** Starts a BFF on a real port (the simulator must reach its notify URL) against `sandbox`. */
export async function startBff(
  sandbox: RunningSandbox,
  store: Store,
  options: {
    hooks?: Hooks
    logs?: LogCapture
    queryAfterReturnMs?: number
    port?: number
    /** Services to offer (default: the kit's default, every service offered by default). */
    services?: readonly PayService[]
    /** The kit's `antiPhishing` (the legacy contract's 防钓鱼). */
    antiPhishing?: boolean
    /** Behind a proxy: trust X-Forwarded-For, its last address only (app.proxy, maxIpsCount 1). */
    trustProxy?: boolean
    /** More kit options (the sweep's, `runJobs`…); `clock: 'sandbox'` runs the kit on the simulator's clock. */
    kit?: Partial<Omit<AlipayKitOptions, 'clock'>> & { clock?: 'sandbox' | (() => number) }
  } = {},
): Promise<Bff> {
  // Listen first (the public URL needs the port), then attach the app once the kit is built.
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const c = sandbox.credentials
  const kit = await createAlipayKit({
    publicUrl: url,
    legacy: {
      partner: c.partner,
      key: c.key,
      gateway: sandbox.gatewayUrl,
      sellerEmail: c.sellerEmail,
    },
    open: {
      appId: c.appId,
      privateKey: c.appPrivateKey,
      // A simulator in certificate mode hands out the three files a merchant configures.
      ...(c.certificates
        ? {
            appCert: c.certificates.appCert,
            alipayPublicCert: c.certificates.alipayPublicCert,
            alipayRootCert: c.certificates.alipayRootCert,
          }
        : { alipayPublicKey: c.alipayPublicKey }),
      gateway: sandbox.gatewayUrl,
      authorizeUrl: `${sandbox.url}/oauth2/publicAppAuthorize.htm`,
      sellerId: c.partner,
    },
    store,
    pricing: catalogPricing(PRODUCTS),
    hooks: options.hooks ?? {},
    merchantApiSecret: MERCHANT_SECRET,
    ...(options.services ? { services: options.services } : {}),
    ...(options.antiPhishing !== undefined ? { antiPhishing: options.antiPhishing } : {}),
    queryAfterReturnMs: options.queryAfterReturnMs ?? 300,
    // Suites drive hundreds of orders and streams from one address: limits only where a test asks
    // for them (packages/koa/src/limits.test.ts).
    rateLimits: false,
    ...(options.kit ? (({ clock: _clock, ...rest }) => rest)(options.kit) : {}),
    ...(options.kit?.clock === 'sandbox'
      ? { clock: () => sandbox.simulator.now() }
      : options.kit?.clock
        ? { clock: options.kit.clock }
        : {}),
    logger: pino(
      { level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      options.logs ?? new LogCapture(),
    ),
  })
  const app = new Koa()
  if (options.trustProxy) {
    app.proxy = true
    app.maxIpsCount = 1
  }
  app.use(kit.middleware)
  server.on('request', app.callback())
  return {
    url,
    kit,
    server,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await kit.close()
    },
  }
}

export interface Harness {
  readonly sandbox: RunningSandbox
  readonly bff: Bff
  readonly store: Store
  readonly hookLog: HookLog
  readonly logs: LogCapture
  /** The merchant API (`/api/merchant…`), authorised: GET without a body, POST with one. */
  merchant<T = any>(path: string, body?: unknown): Promise<{ status: number; body: T }>
  /** The hooks that ran for an order, in order. */
  hooksOf(orderId: string): string[]
  close(): Promise<void>
}

/** A simulator and a BFF on a fresh embedded store (or the store given), with hooks recorded. */
export async function startHarness(
  options: {
    store?: Store
    sandbox?: SandboxOptions
    queryAfterReturnMs?: number
    services?: readonly PayService[]
    antiPhishing?: boolean
    trustProxy?: boolean
    kit?: NonNullable<Parameters<typeof startBff>[2]>['kit']
  } = {},
): Promise<Harness> {
  const sandbox = await startSandbox(options.sandbox)
  const store = options.store ?? (await openTestStore())
  const hookLog: HookLog = []
  const logs = new LogCapture()
  const bff = await startBff(sandbox, store, {
    hooks: recordingHooks(hookLog),
    logs,
    ...(options.queryAfterReturnMs !== undefined
      ? { queryAfterReturnMs: options.queryAfterReturnMs }
      : {}),
    ...(options.services ? { services: options.services } : {}),
    ...(options.antiPhishing !== undefined ? { antiPhishing: options.antiPhishing } : {}),
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    ...(options.kit ? { kit: options.kit } : {}),
  })
  return {
    sandbox,
    bff,
    store,
    hookLog,
    logs,
    merchant: (path, body) =>
      api(`${bff.url}/api/merchant${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
      }),
    hooksOf: (orderId) => hookLog.filter((c) => c.orderId === orderId).map((c) => c.hook),
    async close() {
      // No key, signature or token in any log line written while this harness ran.
      const leaks = secretsInLogs(logs.lines, sandbox, [MERCHANT_SECRET])
      await bff.close()
      await sandbox.close()
      if (!options.store) await store.close()
      if (leaks.length > 0)
        throw new Error(
          `Secrets reached the log:\n${leaks.map((l) => `${l.what}: ${l.line.slice(0, 300)}`).join('\n')}`,
        )
    },
  }
}

/** JSON to the BFF as the SPA sends it (the CSRF header), with a browser's cookies. */
export async function api<T = unknown>(
  url: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      'x-alipay-kit': '1',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T }
}
