import type { Context, Next } from 'koa'
import type { Logger } from 'pino'

/**
 * One log line per request: method, path, status, duration. Only the path is logged, never the
 * query string, body or cookies: return URLs carry `sign` and `token` in their query. Paths for
 * which `quiet` is true get none (Alipay's notifications: their own line says more).
 */
export function requestLog(logger: Logger, quiet: (path: string) => boolean = () => false) {
  return async (ctx: Context, next: Next) => {
    if (quiet(ctx.path)) return next()
    const started = performance.now()
    try {
      await next()
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10
      const level = ctx.status >= 500 ? 'error' : 'info'
      logger[level](
        { req: { method: ctx.method, path: ctx.path }, res: { status: ctx.status }, ms },
        'request',
      )
    }
  }
}
