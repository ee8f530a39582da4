import { type HealthView, ROUTES } from '@alipay-kit/client'
import type Router from '@koa/router'
import type { KitContext } from '../context.js'
import { pingStore } from '../repositories/health.js'

/**
 * GET /healthz: 200 when the store answers, 503 `unreachable` when it does not. Anyone may ask, so
 * the answer never carries the database's own error (a server's address, its user or database
 * name): that goes to the log, for the operator (issue 25, finding 6).
 */
export function healthRoutes(router: Router, kit: KitContext): void {
  router.get(ROUTES.health, async (ctx) => {
    let body: HealthView
    try {
      await pingStore(kit.store)
      body = { ok: true, store: `${kit.store.kind}: ok` }
    } catch (error) {
      kit.config.logger.error(
        { store: kit.store.kind, err: { message: (error as Error).message } },
        'health: store unreachable',
      )
      body = { ok: false, store: `${kit.store.kind}: unreachable` }
    }
    ctx.status = body.ok ? 200 : 503
    ctx.set('Cache-Control', 'no-store')
    ctx.body = body
  })
}
