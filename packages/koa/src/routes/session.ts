import { type CartView, ROUTES, type SessionView } from '@alipay-kit/client'
import type Router from '@koa/router'
import { z } from 'zod'
import type { KitContext } from '../context.js'
import { readJson } from '../http/body.js'
import { tokenValid } from '../http/session.js'

export const itemSchema = z
  .object({
    sku: z
      .string()
      .regex(/^[\w.-]{1,64}$/, { message: 'must be 1–64 letters, digits, "_", "." or "-"' }),
    quantity: z.number().int().min(1).max(999),
  })
  .strict()

const cartSchema = z.object({ items: z.array(itemSchema).max(100) }).strict()

/** GET /api/session, POST /api/logout, GET/PUT /api/cart. */
export function sessionRoutes(router: Router, kit: KitContext): void {
  router.get(ROUTES.session, async (ctx) => {
    const session = await kit.sessions.load(ctx)
    const member = session?.data.member
    const body: SessionView = {
      user: member
        ? {
            userId: member.userId,
            realName: member.realName,
            displayName: `支付宝用户${member.realName}`,
            via: member.via,
            tokenValid: tokenValid(member),
          }
        : null,
      services: kit.config.services,
      loginMethods: kit.config.loginMethods,
      alipayOnly: member !== undefined,
    }
    ctx.set('Cache-Control', 'no-store')
    ctx.body = body
  })

  router.post(ROUTES.logout, async (ctx) => {
    await kit.sessions.destroy(ctx)
    ctx.status = 204
  })

  router.get(ROUTES.cart, async (ctx) => {
    const session = await kit.sessions.load(ctx)
    const body: CartView = { items: session?.data.cart ?? [] }
    ctx.set('Cache-Control', 'no-store')
    ctx.body = body
  })

  router.put(ROUTES.cart, async (ctx) => {
    const { items } = await readJson(ctx, cartSchema)
    const session = await kit.sessions.load(ctx)
    // An empty cart from a browser without a session is nothing to keep: no row, no cookie
    // (docs/security.md, "Unauthenticated writes").
    if (session || items.length > 0) await kit.sessions.save(ctx, { ...session?.data, cart: items })
    const body: CartView = { items }
    ctx.body = body
  })
}
