import type Router from '@koa/router'
import { gatewayFor, type KitContext, PATHS } from '../context.js'
import { readRaw } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { logNotification } from '../notify/log.js'
import { processNotification } from '../notify/process.js'
import { findOrder, markReturned } from '../orders/repository.js'
import { rawQuery } from './login.js'

/** Alipay's notifications are a few kilobytes; anything far larger is not one. */
const NOTIFY_BODY_LIMIT = 64 * 1024

/**
 * POST /alipay/notify (Open Platform) and /alipay/notify/legacy: Alipay's server-to-server
 * notifications, answered with exactly `success` or `fail` as plain text: no session, no redirect.
 * GET /alipay/return(/legacy): the buyer's redirect after paying, verified and shown, never applied.
 */
export function notifyRoutes(router: Router, kit: KitContext): void {
  for (const kind of ['open', 'legacy'] as const) {
    if (!(kind === 'legacy' ? kit.legacy : kit.open)) continue

    router.post(PATHS.notify[kind], async (ctx) => {
      let body: Buffer
      try {
        body = await readRaw(ctx, NOTIFY_BODY_LIMIT)
      } catch (error) {
        if (!(error instanceof ApiError)) throw error
        ctx.status = error.status
        ctx.type = 'text/plain'
        ctx.body = 'fail'
        return
      }
      const answer = await processNotification(kit, kind, {
        body,
        contentType: ctx.get('content-type') || undefined,
      })
      ctx.status = answer.status
      ctx.type = 'text/plain'
      ctx.body = answer.body
    })

    router.get(PATHS.paymentReturn[kind], async (ctx) => {
      const verified = await gatewayFor(kit, kind).verifyReturn(rawQuery(ctx))
      const orderId = verified.ok ? verified.params.out_trade_no : undefined
      const order =
        orderId && /^[A-Za-z0-9_-]{1,64}$/.test(orderId)
          ? await findOrder(kit.store, orderId)
          : undefined
      await logNotification(kit.store, {
        gateway: kind,
        channel: 'return',
        orderId,
        notifyId: verified.ok ? verified.params.notify_id : undefined,
        tradeStatus: verified.ok ? verified.params.trade_status : undefined,
        outcome: verified.ok && order ? 'verified' : 'rejected',
        code: verified.ok ? (order ? undefined : 'UNKNOWN_ORDER') : verified.rejection.code,
        reason: verified.ok ? undefined : verified.rejection.reason,
        params: verified.ok ? verified.params : verified.rejection.params,
      })
      if (!order) {
        const home = new URL(`${kit.config.appUrl}/`)
        home.searchParams.set('alipay_return', 'invalid')
        ctx.redirect(home.href)
        return
      }
      // Display only: the notification (or the active query it starts) changes the order.
      await markReturned(kit.store, order.id)
      ctx.redirect(
        `${kit.config.appUrl}${kit.config.resultPage.replace('{id}', encodeURIComponent(order.id))}`,
      )
    })
  }
}
