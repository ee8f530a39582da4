import type { Context } from 'koa'
import { ApiError } from '../http/errors.js'
import type { KitMetrics } from '../metrics/kit-metrics.js'
import { clientKeys } from './rate-limits.js'

/** How long a refused stream's page should wait before trying a stream again (it polls meanwhile). */
const RETRY_AFTER_S = 30

/**
 * Status streams held open at once on this instance, per client (session, IP) and in all. A stream
 * holds a socket and a subscription for as long as a page stays open, so the cap is on what is
 * open, not on how often streams start (the API limit counts that).
 */
export class StreamCaps {
  private readonly bySession = new Map<string, number>()
  private readonly byIp = new Map<string, number>()
  private open = 0

  constructor(
    private readonly caps: { perSession: number; perIp: number; total: number },
    private readonly metrics: KitMetrics,
  ) {}

  /** Takes a place for a new stream, or throws 429 TOO_MANY_STREAMS; answers its release. */
  take(ctx: Context): () => void {
    const { ip, session } = clientKeys(ctx)
    const full =
      this.open >= this.caps.total
        ? `${this.caps.total} streams are open on this server`
        : (this.byIp.get(ip) ?? 0) >= this.caps.perIp
          ? `${this.caps.perIp} streams are open from this address`
          : session && (this.bySession.get(session) ?? 0) >= this.caps.perSession
            ? `${this.caps.perSession} streams are open from this browser`
            : undefined
    if (full) {
      this.metrics.rateLimited('streams')
      ctx.set('Retry-After', String(RETRY_AFTER_S))
      throw new ApiError(429, 'TOO_MANY_STREAMS', `${full}; poll GET /api/orders/:id instead`)
    }
    this.open++
    bump(this.byIp, ip, 1)
    if (session) bump(this.bySession, session, 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.open--
      bump(this.byIp, ip, -1)
      if (session) bump(this.bySession, session, -1)
    }
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by
  if (next <= 0) map.delete(key)
  else map.set(key, next)
}
