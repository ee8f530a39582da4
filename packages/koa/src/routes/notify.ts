import type Router from '@koa/router'
import { SpanKind } from '@opentelemetry/api'
import type { KitContext } from '../context.js'
import { readRaw } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { rawQuery } from '../http/raw-query.js'
import { PATHS } from '../paths.js'
import { processNotification } from '../status/notification.js'
import { receivePaymentReturn } from '../status/payment-return.js'
import { inSpan } from '../tracing/tracer.js'

/** Alipay's notifications are a few kilobytes; anything far larger is not one. */
const NOTIFY_BODY_LIMIT = 64 * 1024

/**
 * POST /alipay/notify (Open Platform) and /alipay/notify/legacy: Alipay's server-to-server
 * notifications, answered with exactly `success` or `fail` as plain text: no session, no redirect.
 * GET /alipay/return(/legacy): the buyer's redirect after paying, verified and shown, never applied.
 */
export function notifyRoutes(router: Router, kit: KitContext): void {
  for (const kind of ['open', 'legacy'] as const) {
    if (!kit.gateways[kind]) continue

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
      const answer = await inSpan(
        'alipay.notify',
        { kind: SpanKind.SERVER, attributes: { 'alipay.gateway': kind } },
        async (span) => {
          const result = await processNotification(kit, kind, {
            body,
            contentType: ctx.get('content-type') || undefined,
          })
          span.setAttribute('alipay.answer', result.body)
          return result
        },
      )
      ctx.status = answer.status
      ctx.type = 'text/plain'
      ctx.body = answer.body
    })

    router.get(PATHS.paymentReturn[kind], async (ctx) => {
      const order = await receivePaymentReturn(kit, kind, rawQuery(ctx))
      if (!order) {
        const home = new URL(`${kit.config.appUrl}/`)
        home.searchParams.set('alipay_return', 'invalid')
        ctx.redirect(home.href)
        return
      }
      ctx.redirect(
        `${kit.config.appUrl}${kit.config.resultPage.replace('{id}', encodeURIComponent(order.id))}`,
      )
    })
  }
}
