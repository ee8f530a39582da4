import type { Context, Middleware, Next } from 'koa'
import type { Logger } from 'pino'
import type { ResolvedRateLimits } from '../config.js'
import { ApiError } from '../http/errors.js'
import { hashSecret } from '../http/secrets.js'
import { SESSION_COOKIE } from '../http/session.js'
import type { KitMetrics } from '../metrics/kit-metrics.js'
import type { HitCounter } from './hit-counter.js'
import type { RefusalHold } from './refusal-hold.js'

export type LimitName = 'orders' | 'logins' | 'api'

/** A client as the limits see it: its IP address, and its session when it has one. */
export function clientKeys(ctx: Context): { ip: string; session: string | undefined } {
  const sid = ctx.cookies.get(SESSION_COOKIE)
  return { ip: ctx.ip, session: sid ? hashSecret(sid).slice(0, 22) : undefined }
}

/**
 * Fixed-window limits per client, counted where every instance sees them (HitCounter). Over a
 * limit: 429 RATE_LIMITED with Retry-After (the seconds until the window ends), sent after a
 * hold (RefusalHold). A counter that
 * cannot be reached lets the request through: the limits protect the shop, they must not take it
 * down with the store.
 */
export class RateLimits {
  /**
   * Keys already over their limit, with the end of their window: counts only grow within a
   * window, so a flood is refused from here without a round trip to the counter.
   */
  private readonly blocked = new Map<string, number>()

  constructor(
    private readonly limits: ResolvedRateLimits,
    private readonly counter: HitCounter,
    private readonly clock: () => number,
    private readonly metrics: KitMetrics,
    private readonly logger: Logger,
    /** Where refusals wait before they are sent (a tarpit for clients that wait for them). */
    private readonly hold: RefusalHold,
  ) {}

  middleware(name: LimitName): Middleware {
    const rule = this.limits[name]
    const windowMs = this.limits.windowMs
    return async (ctx: Context, next: Next) => {
      const now = this.clock()
      const windowStart = now - (now % windowMs)
      const client = clientKeys(ctx)
      const ipKey = `${name}:ip:${client.ip}`
      const sessionKey = client.session ? `${name}:sid:${client.session}` : undefined
      const refuse = async (over: string, windowEnd: number) => {
        this.metrics.rateLimited(name)
        await this.hold.hold(windowEnd - now)
        const retryAfter = Math.max(1, Math.ceil((windowEnd - this.clock()) / 1000))
        ctx.set('Retry-After', String(retryAfter))
        return new ApiError(
          429,
          'RATE_LIMITED',
          `More than ${over} in ${windowMs / 1000} s (${name}); try again in ${retryAfter} s`,
        )
      }
      const ipBlocked = this.blocked.get(ipKey) ?? 0
      const sessionBlocked = sessionKey ? (this.blocked.get(sessionKey) ?? 0) : 0
      if (ipBlocked > now) throw await refuse(`${rule.perIp} from this address`, ipBlocked)
      if (sessionBlocked > now)
        throw await refuse(`${rule.perSession} from this browser`, sessionBlocked)
      let hits: Map<string, number>
      try {
        hits = await this.counter.count(
          sessionKey ? [ipKey, sessionKey] : [ipKey],
          windowStart,
          windowMs,
        )
      } catch (error) {
        this.metrics.storeError('rate-limits')
        this.logger.warn(
          { limit: name, err: { message: (error as Error).message } },
          'rate limit not counted',
        )
        return next()
      }
      const windowEnd = windowStart + windowMs
      if ((hits.get(ipKey) ?? 0) > rule.perIp) {
        this.block(ipKey, windowEnd, now)
        throw await refuse(`${rule.perIp} from this address`, windowEnd)
      }
      if (sessionKey && (hits.get(sessionKey) ?? 0) > rule.perSession) {
        this.block(sessionKey, windowEnd, now)
        throw await refuse(`${rule.perSession} from this browser`, windowEnd)
      }
      return next()
    }
  }

  private block(key: string, until: number, now: number): void {
    // Kept small: windows that ended go when the map grows.
    if (this.blocked.size >= 10_000)
      for (const [k, end] of this.blocked) if (end <= now) this.blocked.delete(k)
    this.blocked.set(key, until)
  }
}

/** Nothing to limit: the middleware when limits are off. */
export const unlimited: Middleware = (_ctx, next) => next()
