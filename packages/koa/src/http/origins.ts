import { CSRF_HEADER } from '@alipay-kit/client'
import type { Context, Next } from 'koa'
import { ApiError } from './errors.js'

/**
 * Resolves a redirect target (`returnTo`, etao's `target_url`) and returns it only when it stays on
 * an allowed origin; otherwise undefined. Relative paths resolve against `base`. The URL parser
 * does the work (it reads `/\evil`, `//evil`, tabs and newlines as a browser would), so what is
 * checked is what the browser will follow: `//evil.example`, `https://evil.example`, `/\evil.example`,
 * `javascript:` and their encoded forms are all refused.
 */
export function safeRedirectTarget(
  target: unknown,
  allowedOrigins: ReadonlySet<string>,
  base: string,
): string | undefined {
  if (typeof target !== 'string' || target === '' || target.length > 2048) return undefined
  let url: URL
  try {
    url = new URL(target, base)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  if (!allowedOrigins.has(url.origin)) return undefined
  return url.href
}

/**
 * Cross-site request forgery guard for the browser API's state-changing requests: they must
 * carry the kit's custom header (which a cross-site form cannot send and a cross-site script can
 * send only after a CORS preflight this BFF refuses), and an Origin, when sent, must be allowed.
 */
export function csrfGuard(allowedOrigins: ReadonlySet<string>) {
  return async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'OPTIONS') {
      const origin = ctx.get('origin')
      if (origin !== '' && !allowedOrigins.has(origin))
        throw new ApiError(403, 'CSRF', `Origin ${origin} is not allowed to change anything here`)
      if (ctx.get(CSRF_HEADER) === '')
        throw new ApiError(403, 'CSRF', `The ${CSRF_HEADER} header is missing`)
    }
    await next()
  }
}

/** CORS for the SPA's configured origins only, with credentials (the session cookie). */
export function cors(allowedOrigins: ReadonlySet<string>) {
  return async (ctx: Context, next: Next) => {
    const origin = ctx.get('origin')
    ctx.vary('Origin')
    const allowed = origin !== '' && allowedOrigins.has(origin)
    if (allowed) {
      ctx.set('Access-Control-Allow-Origin', origin)
      ctx.set('Access-Control-Allow-Credentials', 'true')
    }
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method') !== '') {
      if (!allowed) {
        ctx.status = 403
        return
      }
      ctx.set('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE')
      ctx.set('Access-Control-Allow-Headers', `content-type, ${CSRF_HEADER}, authorization`)
      ctx.set('Access-Control-Max-Age', '600')
      ctx.status = 204
      return
    }
    await next()
  }
}
