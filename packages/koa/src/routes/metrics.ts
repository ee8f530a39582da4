import { ROUTES } from '@alipay-kit/client'
import type Router from '@koa/router'
import type { KitContext } from '../context.js'
import { requireBearer } from '../http/bearer.js'

/**
 * GET /metrics: the kit's Prometheus metrics in the text exposition format, for a scraper with
 * `Authorization: Bearer <metricsToken>`; not served without a token (packages/koa/README.md,
 * "Metrics").
 */
export function metricsRoutes(router: Router, kit: KitContext): void {
  const token = kit.config.metricsToken
  if (!token) return
  router.get(ROUTES.metrics, requireBearer(token, 'metrics token'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store')
    ctx.type = kit.metrics.registry.contentType
    ctx.body = await kit.metrics.registry.metrics()
  })
}
