import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Router from '@koa/router'
import Koa from 'koa'
import { SandboxAdmin } from './admin/client.js'
import { adminRoutes } from './admin/routes.js'
import { type Clock, scaledClock, TestClock } from './clock.js'
import {
  generateCredentials,
  loadOrCreateCredentials,
  type SandboxCredentials,
  withCertificates,
} from './credentials.js'
import type { Fetch } from './notify/deliveries.js'
import { persistState } from './persistence.js'
import { billRoutes } from './routes/bill.js'
import { browserRoutes } from './routes/browser.js'
import { gatewayRoutes } from './routes/gateway.js'
import { WebState } from './routes/state.js'
import { Simulator } from './simulator.js'

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number
  readonly host?: string
  /** Use these credentials; otherwise load them from `credentialsFile`, or generate fresh ones. */
  readonly credentials?: SandboxCredentials
  readonly credentialsFile?: string
  /** Speeds simulated time up (tokens, retry schedule): 1000 makes the 4-minute retry 240 ms. */
  readonly timeScale?: number
  /** A clock of the test's own (e.g. ManualClock); overrides timeScale. */
  readonly clock?: Clock
  /** How notifications are sent (default: global fetch). */
  readonly fetch?: Fetch
  /** Keep trades, tokens and notify ids in this JSON file across restarts (default: memory only). */
  readonly stateFile?: string
  /**
   * Strict mode: the checks a merchant's contract may switch on are on, so that what works here
   * works against such a contract: anti-phishing (a fresh anti_phishing_key from query_timestamp
   * and the buyer's exter_invoke_ip on every payment and quick login).
   */
  readonly strict?: boolean
  /**
   * Certificate mode (公钥证书): issue a root and Alipay's and the app's certificates (in
   * `credentials.certificates`); Open Platform requests must then name their serial numbers
   * (app_cert_sn, alipay_root_cert_sn) and answers name Alipay's (alipay_cert_sn).
   */
  readonly certificates?: boolean
}

export interface RunningSandbox {
  /** Where the simulator listens, e.g. http://127.0.0.1:4010 */
  readonly url: string
  /** The gateway URL for both gateways (legacy `service=…` and Open Platform `method=…`). */
  readonly gatewayUrl: string
  readonly credentials: SandboxCredentials
  readonly admin: SandboxAdmin
  readonly simulator: Simulator
  close(): Promise<void>
}

/** The simulator as a Koa app (mount it, or call {@link startSandbox}). */
export function createSandboxApp(simulator: Simulator): Koa {
  const app = new Koa()
  app.proxy = false
  const router = new Router()
  const web = new WebState(simulator)
  gatewayRoutes(router, web)
  billRoutes(router, web)
  browserRoutes(router, web)
  adminRoutes(router, web)
  app.use(async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500
      ctx.status = status
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = status === 500 ? 'sandbox error; see its log' : (error as Error).message
      if (status === 500) console.error('[alipay-kit sandbox]', error)
    }
  })
  app.use(router.routes())
  app.use(router.allowedMethods())
  return app
}

/**
 * Starts the simulator in-process.
 *
 * @example
 * const sandbox = await startSandbox()
 * // point the BFF at sandbox.gatewayUrl with sandbox.credentials, then
 * await sandbox.close()
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const given =
    options.credentials ??
    (options.credentialsFile
      ? loadOrCreateCredentials(options.credentialsFile, options.certificates === true)
      : generateCredentials())
  const credentials = options.certificates ? withCertificates(given) : given
  // A test clock by default, so the admin API can move time forward (POST /__admin/clock).
  const clock = options.clock ?? new TestClock(scaledClock(options.timeScale ?? 1))
  const simulator = new Simulator(credentials, clock, options.fetch)
  if (options.strict) simulator.antiPhishing = true
  if (options.certificates) simulator.useCertificates()
  const persistence = options.stateFile ? persistState(simulator, options.stateFile) : undefined
  const app = createSandboxApp(simulator)
  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port ?? 0, options.host ?? '127.0.0.1', () =>
      resolve(listening),
    )
    listening.once('error', reject)
  })
  const { address, port } = server.address() as AddressInfo
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  return {
    url,
    gatewayUrl: `${url}/gateway.do`,
    credentials,
    admin: new SandboxAdmin(url),
    simulator,
    close: () =>
      new Promise((resolve, reject) => {
        persistence?.stop()
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
