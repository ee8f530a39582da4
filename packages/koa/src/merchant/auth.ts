import { timingSafeEqual } from 'node:crypto'
import type { Context, Next } from 'koa'
import { ApiError } from '../http/errors.js'
import { hashSecret } from '../http/secrets.js'

/** Merchant API authentication: `Authorization: Bearer <merchantApiSecret>`, compared in constant time. */
export function requireMerchant(secret: string) {
  const expected = Buffer.from(hashSecret(secret))
  return async (ctx: Context, next: Next) => {
    const header = ctx.get('authorization')
    const given = Buffer.from(hashSecret(header.startsWith('Bearer ') ? header.slice(7) : ''))
    if (!timingSafeEqual(given, expected))
      throw new ApiError(
        401,
        'FORBIDDEN',
        'The merchant API needs Authorization: Bearer <merchant API secret>',
      )
    await next()
  }
}
