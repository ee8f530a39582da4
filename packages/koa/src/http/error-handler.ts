import { isAlipayKitError } from '@alipay-kit/core'
import type { Context, Next } from 'koa'
import type { Logger } from 'pino'
import { ApiError, errorBody } from './errors.js'

/**
 * Turns thrown errors into JSON answers with a stable code. A 500 never shows a stack trace, only
 * a log line does; a store that cannot be reached is a 503 the client may retry.
 */
export function errorHandler(logger: Logger, onStoreError: (where: string) => void = () => {}) {
  return async (ctx: Context, next: Next) => {
    try {
      await next()
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/'))
        throw new ApiError(404, 'NOT_FOUND', `No route ${ctx.method} ${ctx.path}`)
    } catch (caught) {
      if (isAlipayKitError(caught, 'STORE_UNAVAILABLE')) onStoreError('api')
      const error = toApiError(caught, ctx, logger)
      ctx.status = error.status
      ctx.set('Cache-Control', 'no-store')
      ctx.body = errorBody(error)
    }
  }
}

function toApiError(caught: unknown, ctx: Context, logger: Logger): ApiError {
  if (caught instanceof ApiError) return caught
  if (isAlipayKitError(caught, 'STORE_UNAVAILABLE')) {
    logger.warn(
      { req: { method: ctx.method, path: ctx.path }, err: { message: caught.message } },
      'store unavailable',
    )
    return new ApiError(503, 'STORE_UNAVAILABLE', 'The store is unavailable; try again shortly')
  }
  const status = (caught as { status?: number }).status
  if (status === 413) return new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The body is too large')
  if (status !== undefined && status >= 400 && status < 500)
    return new ApiError(status, 'INVALID_INPUT', (caught as Error).message)
  logger.error(
    {
      req: { method: ctx.method, path: ctx.path },
      err: {
        code: isAlipayKitError(caught) ? caught.code : undefined,
        message: (caught as Error).message,
        stack: (caught as Error).stack,
      },
    },
    'unhandled error',
  )
  return new ApiError(500, 'INTERNAL', 'Internal error; see the BFF log')
}
