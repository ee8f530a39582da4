import { timingSafeEqual } from 'node:crypto'
import type { MerchantOrderView, NotificationOutcome } from '@alipay-kit/client'
import { parseYuan } from '@alipay-kit/core'
import type Router from '@koa/router'
import type { Context, Next } from 'koa'
import { z } from 'zod'
import { gatewayFor, type KitContext } from '../context.js'
import { newRequestNo } from '../gateway/legacy.js'
import { GatewayCallError, type TradeFacts } from '../gateway/types.js'
import { readJson } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { hashSecret } from '../http/session.js'
import { listNotifications } from '../notify/log.js'
import { refreshFromAlipay } from '../notify/process.js'
import { findOrder, listAllOrders } from '../orders/repository.js'
import { type OrderRow, toOrderView } from '../orders/view.js'

const refundSchema = z
  .object({
    amount: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'must be yuan like "1.00"' })
      .optional(),
    reason: z.string().max(200).optional(),
  })
  .strict()
const shipSchema = z
  .object({
    logisticsName: z.string().trim().min(1).max(64),
    invoiceNo: z.string().max(64).optional(),
    transportType: z.enum(['EXPRESS', 'POST', 'EMS']).optional(),
  })
  .strict()
const OUTCOMES = ['applied', 'duplicate', 'stale', 'rejected', 'verified'] as const

function facts(order: OrderRow): TradeFacts {
  return {
    id: order.id,
    service: order.service,
    subject: order.subject,
    amountFen: Number(order.amount_fen),
    tradeNo: order.trade_no,
    address: order.address,
  }
}

/** Merchant API authentication: `Authorization: Bearer <merchantApiSecret>`, compared in constant time. */
function requireMerchant(secret: string) {
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

async function orderOr404(kit: KitContext, ctx: Context): Promise<OrderRow> {
  const id = ctx.params.id ?? ''
  const order = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await findOrder(kit.store, id) : undefined
  if (!order) throw new ApiError(404, 'NOT_FOUND', `No order ${id}`)
  return order
}

/** Runs a gateway operation, turning Alipay's refusal into its catalog entry (502) or a conflict. */
async function atAlipay<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof GatewayCallError)
      throw new ApiError(
        error.code === 'GATEWAY_UNREACHABLE' ? 503 : 502,
        error.code,
        error.message,
      )
    throw error
  }
}

/** /api/merchant/*: orders, query, close, refund, ship, and the notification log. */
export function merchantRoutes(router: Router, kit: KitContext, secret: string): void {
  router.use('/api/merchant', requireMerchant(secret))

  router.get('/api/merchant/orders', async (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit) || 50, 1), 500)
    ctx.body = { orders: (await listAllOrders(kit.store, limit)).map(toOrderView) }
  })

  router.get('/api/merchant/orders/:id', async (ctx) => {
    const order = await orderOr404(kit, ctx)
    const events = await kit.store.query<{ event: string; created_at: Date | string }>(
      'select event, created_at from akit_order_events where order_id = $1 order by created_at, key',
      [order.id],
    )
    const body: MerchantOrderView = {
      order: toOrderView(order),
      buyerId: order.buyer_id,
      events: events.map((e) => ({ event: e.event, at: new Date(e.created_at).toISOString() })),
      notifications: await listNotifications(kit.store, { orderId: order.id, limit: 100 }),
    }
    ctx.body = body
  })

  router.post('/api/merchant/orders/:id/query', async (ctx) => {
    const order = await orderOr404(kit, ctx)
    const { order: latest } = await atAlipay(() => refreshFromAlipay(kit, order, true))
    ctx.body = toOrderView(latest)
  })

  router.post('/api/merchant/orders/:id/close', async (ctx) => {
    const order = await orderOr404(kit, ctx)
    if (order.state.trade !== 'WAIT_BUYER_PAY')
      throw new ApiError(
        409,
        'CONFLICT',
        `Only an unpaid order can be closed; this one is ${order.state.trade}`,
      )
    await atAlipay(() => gatewayFor(kit, order.gateway).close(facts(order)))
    // Alipay notifies the close; asking now shows it at once.
    const { order: latest } = await atAlipay(() => refreshFromAlipay(kit, order, true))
    ctx.body = toOrderView(latest)
  })

  router.post('/api/merchant/orders/:id/refund', async (ctx) => {
    const input = await readJson(ctx, refundSchema)
    const order = await orderOr404(kit, ctx)
    if (!order.state.paid)
      throw new ApiError(409, 'CONFLICT', 'The order is not paid: nothing to refund')
    const left = Number(order.amount_fen) - Number(order.refunded_fen)
    let amountFen = left
    try {
      if (input.amount !== undefined) amountFen = parseYuan(input.amount, 'amount')
    } catch (error) {
      throw new ApiError(400, 'INVALID_INPUT', (error as Error).message, 'amount')
    }
    if (amountFen > left)
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `amount: at most ${left} fen is left to refund`,
        'amount',
      )
    await atAlipay(() =>
      gatewayFor(kit, order.gateway).refund(
        facts(order),
        amountFen,
        input.reason ?? 'merchant refund',
        newRequestNo(),
        kit.urls.notify(order.gateway),
      ),
    )
    kit.config.logger.info({ refund: { orderId: order.id, amountFen } }, 'refund requested')
    ctx.body = toOrderView((await findOrder(kit.store, order.id)) ?? order)
  })

  router.post('/api/merchant/orders/:id/ship', async (ctx) => {
    const input = await readJson(ctx, shipSchema)
    const order = await orderOr404(kit, ctx)
    if (order.state.trade !== 'WAIT_SELLER_SEND_GOODS')
      throw new ApiError(
        409,
        'CONFLICT',
        `Only a paid escrow order waiting for goods ships; this one is ${order.state.trade}`,
      )
    await atAlipay(() =>
      gatewayFor(kit, order.gateway).ship(facts(order), {
        logisticsName: input.logisticsName,
        ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}),
        ...(input.transportType ? { transportType: input.transportType } : {}),
      }),
    )
    ctx.body = toOrderView((await findOrder(kit.store, order.id)) ?? order)
  })

  router.get('/api/merchant/notifications', async (ctx) => {
    const outcome = ctx.query.outcome
    if (outcome !== undefined && !OUTCOMES.includes(outcome as NotificationOutcome))
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `outcome must be one of ${OUTCOMES.join(', ')}`,
        'outcome',
      )
    const limit = Math.min(Math.max(Number(ctx.query.limit) || 100, 1), 1000)
    ctx.body = {
      notifications: await listNotifications(kit.store, {
        ...(outcome ? { outcome: outcome as NotificationOutcome } : {}),
        limit,
      }),
    }
  })
}
