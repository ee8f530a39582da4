import { timingSafeEqual } from 'node:crypto'
import type { Context } from 'koa'
import type { KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { hashSecret } from '../http/secrets.js'
import { findOrder } from '../repositories/orders.js'
import type { OrderRow } from './view.js'

/** Whether this request may see the order: its access token, its browser session, or its member. */
export async function mayRead(kit: KitContext, ctx: Context, order: OrderRow): Promise<boolean> {
  const token = typeof ctx.query.token === 'string' ? ctx.query.token : ctx.get('x-order-token')
  if (token) {
    const given = Buffer.from(hashSecret(token))
    const stored = Buffer.from(order.access_token_hash)
    if (given.length === stored.length && timingSafeEqual(given, stored)) return true
  }
  const session = await kit.sessions.load(ctx)
  if (!session) return false
  if (order.session_hash !== null && order.session_hash === session.hash) return true
  const member = session.data.member
  return member !== undefined && order.user_id === member.userId
}

/** The order, if this request may read it; otherwise 404 (an unreadable order is not confirmed to exist). */
export async function readableOrder(kit: KitContext, ctx: Context): Promise<OrderRow> {
  const id = ctx.params.id ?? ''
  const order = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await findOrder(kit.store, id) : undefined
  if (!order || !(await mayRead(kit, ctx, order)))
    throw new ApiError(404, 'NOT_FOUND', `No order ${id} that this browser may see`)
  return order
}
