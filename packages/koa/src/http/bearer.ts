import { timingSafeEqual } from 'node:crypto'
import type { Context, Next } from 'koa'
import { ApiError } from './errors.js'
import { hashSecret } from './secrets.js'

/** `Authorization: Bearer <secret>`, compared in constant time; `what` names the secret in the refusal. */
export function requireBearer(secret: string, what: string) {
  const expected = Buffer.from(hashSecret(secret))
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization')
    const given = Buffer.from(hashSecret(header.startsWith('Bearer ') ? header.slice(7) : ''))
    if (!timingSafeEqual(given, expected))
      throw new ApiError(401, 'FORBIDDEN', `This needs Authorization: Bearer <${what}>`)
    await next()
  }
}
