import { type MerchantOrderView, type NotificationOutcome, ROUTES } from '@alipay-kit/client'
import { AlipayKitError } from '@alipay-kit/core'
import type Router from '@koa/router'
import type { Context } from 'koa'
import { z } from 'zod'
import type { KitContext } from '../context.js'
import { readJson } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { idempotent } from '../http/idempotency.js'
import { text } from '../http/text.js'
import { requireMerchant } from '../merchant/auth.js'
import { eventFeedPage } from '../merchant/event-feed.js'
import { closeOrder, queryOrder, refundOrder, shipOrder } from '../merchant/operations.js'
import { webhookDeliveryView } from '../merchant/webhook-view.js'
import { type OrderRow, toOrderView } from '../orders/view.js'
import { reconcileDay, reconciliationView } from '../reconcile/reconcile-day.js'
import { listNotifications } from '../repositories/notifications.js'
import { findOrder, listAllOrders, listOrderEvents } from '../repositories/orders.js'
import { findReconciliation, listReconciliations } from '../repositories/reconciliations.js'
import { listWebhookDeliveries, resendWebhookDelivery } from '../repositories/webhook-deliveries.js'

const refundSchema = z
  .object({
    amount: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,2})?$/, { message: 'must be yuan like "1.00"' })
      .optional(),
    reason: text().max(200).optional(),
  })
  .strict()
const shipSchema = z
  .object({
    logisticsName: text().trim().min(1).max(64),
    invoiceNo: text().max(64).optional(),
    transportType: z.enum(['EXPRESS', 'POST', 'EMS']).optional(),
  })
  .strict()
const reconcileSchema = z
  .object({
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a day like "2026-12-01"' }),
  })
  .strict()
const OUTCOMES = ['applied', 'duplicate', 'stale', 'rejected', 'verified'] as const

async function orderOr404(kit: KitContext, ctx: Context): Promise<OrderRow> {
  const id = ctx.params.id ?? ''
  const order = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await findOrder(kit.store, id) : undefined
  if (!order) throw new ApiError(404, 'NOT_FOUND', `No order ${id}`)
  return order
}

/** /api/merchant/*: orders, query, close, refund, ship, and the notification log. */
export function merchantRoutes(router: Router, kit: KitContext, secret: string): void {
  router.use(ROUTES.merchant, requireMerchant(secret))

  router.get(ROUTES.merchantOrders, async (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit) || 50, 1), 500)
    ctx.body = { orders: (await listAllOrders(kit.store, limit)).map(toOrderView) }
  })

  router.get(ROUTES.merchantOrder, async (ctx) => {
    const order = await orderOr404(kit, ctx)
    const body: MerchantOrderView = {
      order: toOrderView(order),
      buyerId: order.buyer_id,
      events: await listOrderEvents(kit.store, order.id),
      notifications: await listNotifications(kit.store, { orderId: order.id, limit: 100 }),
    }
    ctx.body = body
  })

  router.get(ROUTES.merchantReconciliations, async (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit) || 30, 1), 366)
    ctx.body = {
      reconciliations: (await listReconciliations(kit.store, limit)).map((row) =>
        reconciliationView(row),
      ),
    }
  })

  router.get(ROUTES.merchantReconciliation, async (ctx) => {
    const id = ctx.params.id ?? ''
    const found = /^\d{1,18}$/.test(id) ? await findReconciliation(kit.store, id) : undefined
    if (!found) throw new ApiError(404, 'NOT_FOUND', `No reconciliation ${id}`)
    ctx.body = reconciliationView(found.row, found.items)
  })

  // Reconciles a day now (the daily job does yesterday on its own): 200 with the result.
  router.post(ROUTES.merchantReconciliations, async (ctx) => {
    const { date } = await readJson(ctx, reconcileSchema)
    try {
      ctx.body = await reconcileDay(kit, date)
    } catch (error) {
      if (
        error instanceof AlipayKitError &&
        (error.code === 'INVALID_INPUT' || error.code === 'INVALID_CONFIG')
      )
        throw new ApiError(400, error.code, error.message, 'date')
      throw error
    }
  })

  router.get(ROUTES.merchantWebhooks, async (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit) || 100, 1), 500)
    ctx.body = {
      deliveries: (await listWebhookDeliveries(kit.store, limit)).map(webhookDeliveryView),
    }
  })

  // A resend under an Idempotency-Key sends once however often it is retried.
  router.post(ROUTES.merchantWebhookResend, async (ctx) => {
    const id = ctx.params.id ?? ''
    await idempotent(kit, ctx, { route: 'resend', target: id, input: {} }, async () => {
      const row = /^\d{1,18}$/.test(id)
        ? await resendWebhookDelivery(kit.store, id, new Date(kit.config.clock()))
        : undefined
      if (!row) throw new ApiError(404, 'NOT_FOUND', `No webhook delivery ${id}`)
      return webhookDeliveryView(row)
    })
  })

  router.get(ROUTES.merchantEvents, async (ctx) => {
    const one = (value: unknown) => (typeof value === 'string' ? value : undefined)
    ctx.body = await eventFeedPage(kit, {
      after: one(ctx.query.after),
      limit: one(ctx.query.limit),
    })
  })

  router.post(ROUTES.merchantQuery, async (ctx) => {
    ctx.body = toOrderView(await queryOrder(kit, await orderOr404(kit, ctx)))
  })

  // State-changing calls take an Idempotency-Key (http/idempotency.ts): a retry never repeats them.
  router.post(ROUTES.merchantClose, async (ctx) => {
    const order = await orderOr404(kit, ctx)
    await idempotent(kit, ctx, { route: 'close', target: order.id, input: {} }, async () =>
      toOrderView(await closeOrder(kit, order)),
    )
  })

  router.post(ROUTES.merchantRefund, async (ctx) => {
    const input = await readJson(ctx, refundSchema)
    const order = await orderOr404(kit, ctx)
    await idempotent(kit, ctx, { route: 'refund', target: order.id, input }, async (key) =>
      toOrderView(await refundOrder(kit, order, input, key)),
    )
  })

  router.post(ROUTES.merchantShip, async (ctx) => {
    const input = await readJson(ctx, shipSchema)
    const order = await orderOr404(kit, ctx)
    await idempotent(kit, ctx, { route: 'ship', target: order.id, input }, async () =>
      toOrderView(
        await shipOrder(kit, order, {
          logisticsName: input.logisticsName,
          ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}),
          ...(input.transportType ? { transportType: input.transportType } : {}),
        }),
      ),
    )
  })

  router.get(ROUTES.merchantNotifications, async (ctx) => {
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
