import { randomBytes } from 'node:crypto'
import type { Context } from 'koa'
import type { BrowserSession, Flow } from '../http/result.js'
import { OpenAuth } from '../open/gateway.js'
import type { Simulator } from '../simulator.js'

const COOKIE = 'alipay_sandbox_sid'

/** What the HTTP layer keeps besides the simulator: browser sessions, flows, OAuth grants. */
export class WebState {
  private readonly sessions = new Map<string, BrowserSession>()
  private readonly flows = new Map<string, Flow>()
  readonly openAuth = new OpenAuth()

  constructor(readonly sim: Simulator) {}

  /** The browser's session, created on first use (an httpOnly cookie). */
  session(ctx: Context): BrowserSession {
    let id = ctx.cookies.get(COOKIE)
    let session = id ? this.sessions.get(id) : undefined
    if (!session) {
      id = randomBytes(16).toString('hex')
      session = { buyerId: undefined, loginExpiresAt: 0 }
      this.sessions.set(id, session)
      ctx.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'lax', overwrite: true })
    }
    return session
  }

  /** The logged-in buyer, while Alipay's login state lasts. */
  buyerOf(session: BrowserSession) {
    if (!session.buyerId || this.sim.now() > session.loginExpiresAt) return undefined
    return this.sim.findBuyer(session.buyerId)
  }

  startFlow(flow: Flow): string {
    const id = randomBytes(12).toString('hex')
    this.flows.set(id, flow)
    return id
  }

  flow(id: string): Flow | undefined {
    return this.flows.get(id)
  }
}

/** Only same-site paths are followed after login: the simulator is no open redirect either. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    next.startsWith('/') &&
    !next.startsWith('//') &&
    !next.includes('\\')
    ? next
    : '/'
}
