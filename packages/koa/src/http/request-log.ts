import type { Context, Next } from 'koa'
import type { Logger } from 'pino'

/**
 * One log line per request: method, path, status, duration. Only the path is logged, never the
 * query string, body or cookies: return URLs carry `sign` and `token` in their query.
 */
export function requestLog(logger: Logger) {
  return async (ctx: Context, next: Next) => {
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
