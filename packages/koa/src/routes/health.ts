import { type HealthView, ROUTES } from '@alipay-kit/client'
import type Router from '@koa/router'
import type { KitContext } from '../context.js'
import { pingStore } from '../repositories/health.js'

/** GET /healthz: 200 when the store answers, 503 saying what is wrong when it does not. */
export function healthRoutes(router: Router, kit: KitContext): void {
  router.get(ROUTES.health, async (ctx) => {
    let body: HealthView
    try {
      await pingStore(kit.store)
      body = { ok: true, store: `${kit.store.kind}: ok` }
    } catch (error) {
      body = { ok: false, store: `${kit.store.kind}: unreachable (${(error as Error).message})` }
    }
    ctx.status = body.ok ? 200 : 503
    ctx.set('Cache-Control', 'no-store')
    ctx.body = body
  })
}
