import type { Context, Middleware, Next } from 'koa'
import type { Logger } from 'pino'
import type { ResolvedRateLimits } from '../config.js'
import { ApiError } from '../http/errors.js'
import { hashSecret } from '../http/secrets.js'
import { SESSION_COOKIE } from '../http/session.js'
import type { KitMetrics } from '../metrics/kit-metrics.js'
import { addressKey } from './address-key.js'
import type { RefusalHold } from './refusal-hold.js'
import type { TokenBuckets } from './token-buckets.js'

export type LimitName = 'orders' | 'logins' | 'api'

/**
 * A client as the limits see it: its address (an IPv6 one by its /64, limits/address-key.ts), and
 * its session when it has one.
 */
export function clientKeys(ctx: Context): { ip: string; session: string | undefined } {
  const sid = ctx.cookies.get(SESSION_COOKIE)
  return { ip: addressKey(ctx.ip), session: sid ? hashSecret(sid).slice(0, 22) : undefined }
}

/** A client may always send this many at once (or its whole limit, when smaller): a double click, a retry. */
const MIN_BURST = 5

/** The GCRA pace of `limit` requests per window with the configured burst (src/limits/token-buckets.ts). */
function paceOf(limit: number, windowMs: number, burstMs: number) {
  const burst = Math.min(limit, Math.max(MIN_BURST, Math.ceil((limit * burstMs) / windowMs)))
  const emissionMs = windowMs / limit
  return { burst, emissionMs, toleranceMs: (burst - 1) * emissionMs }
}

/**
 * Limits per client as token buckets, kept where every instance sees them (TokenBuckets): a client
 * gets its allowance at an even pace and may run a burst ahead of it, so a flood's allowed share
 * comes one at a time instead of all at the start of a window. Over a limit: 429 RATE_LIMITED with
 * Retry-After (the seconds until the client's next request may go), sent after a hold
 * (RefusalHold). Buckets that cannot be reached let the request through: the limits protect the
 * shop, they must not take it down with the store.
 */
export class RateLimits {
  /**
   * Keys refused lately, with the time their next token comes: until then a flood is refused from
   * here without a round trip (a refusal changes no bucket, so nothing is lost by not asking).
   */
  private readonly blocked = new Map<string, number>()

  constructor(
    private readonly limits: ResolvedRateLimits,
    private readonly buckets: TokenBuckets,
    private readonly clock: () => number,
    private readonly metrics: KitMetrics,
    private readonly logger: Logger,
    /** Where refusals wait before they are sent (a tarpit for clients that wait for them). */
    private readonly hold: RefusalHold,
  ) {}

  middleware(name: LimitName): Middleware {
    const rule = this.limits[name]
    const { windowMs, burstMs } = this.limits
    const ipPace = paceOf(rule.perIp, windowMs, burstMs)
    const sessionPace = paceOf(rule.perSession, windowMs, burstMs)
    const per = `${windowMs / 1000} s`
    const overIp = `${rule.perIp} per ${per} from this address (${ipPace.burst} at once)`
    const overSession = `${rule.perSession} per ${per} from this browser (${sessionPace.burst} at once)`
    return async (ctx: Context, next: Next) => {
      const now = this.clock()
      const client = clientKeys(ctx)
      const ipKey = `${name}:ip:${client.ip}`
      const sessionKey = client.session ? `${name}:sid:${client.session}` : undefined
      const refuse = async (over: string, nextAt: number) => {
        this.metrics.rateLimited(name)
        await this.hold.hold(nextAt - now)
        const retryAfter = Math.max(1, Math.ceil((nextAt - this.clock()) / 1000))
        ctx.set('Retry-After', String(retryAfter))
        return new ApiError(
          429,
          'RATE_LIMITED',
          `Over the limit of ${over} (${name}); try again in ${retryAfter} s`,
        )
      }
      const ipBlocked = this.blocked.get(ipKey) ?? 0
      const sessionBlocked = sessionKey ? (this.blocked.get(sessionKey) ?? 0) : 0
      if (ipBlocked > now) throw await refuse(overIp, ipBlocked)
      if (sessionBlocked > now) throw await refuse(overSession, sessionBlocked)
      let waits: Map<string, number>
      try {
        const taking = [{ key: ipKey, ...ipPace }]
        if (sessionKey) taking.push({ key: sessionKey, ...sessionPace })
        waits = await this.buckets.take(taking, now)
      } catch (error) {
        this.metrics.storeError('rate-limits')
        this.logger.warn(
          { limit: name, err: { message: (error as Error).message } },
          'rate limit not counted',
        )
        return next()
      }
      const ipWait = waits.get(ipKey) ?? 0
      if (ipWait > 0) {
        this.block(ipKey, now + ipWait, now)
        throw await refuse(overIp, now + ipWait)
      }
      const sessionWait = sessionKey ? (waits.get(sessionKey) ?? 0) : 0
      if (sessionKey && sessionWait > 0) {
        this.block(sessionKey, now + sessionWait, now)
        throw await refuse(overSession, now + sessionWait)
      }
      return next()
    }
  }

  private block(key: string, until: number, now: number): void {
    // Kept small: keys whose token has come go when the map grows.
    if (this.blocked.size >= 10_000)
      for (const [k, end] of this.blocked) if (end <= now) this.blocked.delete(k)
    this.blocked.set(key, until)
  }
}

/** Nothing to limit: the middleware when limits are off. */
export const unlimited: Middleware = (_ctx, next) => next()
