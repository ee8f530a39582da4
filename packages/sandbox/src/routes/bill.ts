import type Router from '@koa/router'
import type { WebState } from './state.js'

/** The bill archive a bill_download_url points at (docs/protocol.md, "The daily bill"). */
export function billRoutes(router: Router, web: WebState): void {
  router.get('/downloadBillFile.resource', (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : ''
    const zip = web.sim.billFile(token)
    if (!zip) {
      ctx.status = 404
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = 'The bill link is unknown or older than 30 seconds: ask for a new one'
      return
    }
    const day = typeof ctx.query.bizDates === 'string' ? ctx.query.bizDates : 'bill'
    ctx.type = 'application/zip'
    ctx.set(
      'Content-Disposition',
      `attachment; filename="${web.sim.merchant.partner}_${day}.csv.zip"`,
    )
    ctx.body = zip
  })
}
