import { PAY_SERVICE_NAMES, type PayService, ROUTES } from '@alipay-kit/client'
import type Router from '@koa/router'
import { z } from 'zod'
import type { KitContext } from '../context.js'
import { readJson } from '../http/body.js'
import { text } from '../http/text.js'
import { readableOrder } from '../orders/access.js'
import { assertOffered, createOrder } from '../orders/create.js'
import { refreshQrCode } from '../orders/refresh-qr.js'
import { toOrderView } from '../orders/view.js'
import { listOrders } from '../repositories/orders.js'
import { streamOrder } from '../sse/order-stream.js'
import { withActiveQuery } from '../status/active-query.js'
import { itemSchema } from './session.js'

// Every free-text string is one line of well-formed text (http/text.ts): the store refuses NUL
// and lone surrogates, and would answer them with a 500.
const region = z.object({
  name: text().trim().min(1).max(64),
  code: z
    .string()
    .regex(/^\d{2,12}$/)
    .nullable(),
})
const addressSchema = z
  .object({
    recipient: text().trim().min(1).max(64),
    phone: text().regex(/^[\d+\s-]{5,20}$/, { message: 'must be a phone number' }),
    province: region,
    city: region,
    district: region,
    street: text().trim().min(1).max(200),
    postcode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .optional(),
  })
  .strict()

const createSchema = z
  .object({
    items: z.array(itemSchema).min(1, { message: 'must hold at least one item' }).max(50),
    service: z.enum(PAY_SERVICE_NAMES as [PayService, ...PayService[]], {
      message: `must be one of ${PAY_SERVICE_NAMES.join(', ')}`,
    }),
    address: addressSchema.optional(),
  })
  .strict()

/**
 * POST /api/orders, GET /api/orders, GET /api/orders/:id, GET /api/orders/:id/events (SSE),
 * POST /api/orders/:id/qr (a new QR code for the same unpaid order).
 */
export function orderRoutes(router: Router, kit: KitContext): void {
  router.post(ROUTES.orders, kit.limits.orders, async (ctx) => {
    const input = await readJson(ctx, createSchema)
    assertOffered(kit, input.service)
    const session = await kit.sessions.ensure(ctx)
    ctx.status = 201
    ctx.body = await createOrder(kit, session, ctx.ip, input)
  })

  router.get(ROUTES.orders, async (ctx) => {
    const session = await kit.sessions.load(ctx)
    const rows = await listOrders(kit.store, {
      userId: session?.data.member?.userId,
      sessionHash: session?.hash,
    })
    ctx.set('Cache-Control', 'no-store')
    ctx.body = { orders: rows.map(toOrderView) }
  })

  router.get(ROUTES.order, async (ctx) => {
    const order = await withActiveQuery(kit, await readableOrder(kit, ctx))
    ctx.set('Cache-Control', 'no-store')
    ctx.body = toOrderView(order)
  })

  router.get(ROUTES.orderEvents, async (ctx) => {
    streamOrder(kit, ctx, await readableOrder(kit, ctx))
  })

  router.post(ROUTES.orderQr, kit.limits.orders, async (ctx) => {
    ctx.set('Cache-Control', 'no-store')
    ctx.body = await refreshQrCode(kit, await readableOrder(kit, ctx), ctx.ip)
  })
}
