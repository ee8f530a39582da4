import { setTimeout as sleep } from 'node:timers/promises'
import type Router from '@koa/router'
import type { Context } from 'koa'
import { readRawBody } from '../http/body.js'
import { charsetOf, decodePairs, decodeValue, peekRaw, rawPairs } from '../http/form.js'
import type { GatewayResult } from '../http/result.js'
import { handleLegacy } from '../legacy/gateway.js'
import { handleOpen } from '../open/gateway.js'
import { errorPage } from '../pages/pages.js'
import type { WebState } from './state.js'

/** Writes a gateway handler's answer. */
export function send(ctx: Context, result: GatewayResult): void {
  switch (result.kind) {
    case 'redirect':
      ctx.status = 302
      ctx.redirect(result.url)
      return
    case 'html':
      ctx.status = result.status
      ctx.type = 'text/html; charset=utf-8'
      ctx.body = result.body
      return
    case 'text':
      ctx.type = 'text/plain; charset=utf-8'
      ctx.body = result.body
      return
    case 'xml':
      ctx.type = 'text/xml; charset=utf-8'
      ctx.body = result.body
      return
    case 'json':
      ctx.type = 'application/json; charset=utf-8'
      ctx.body = result.body
  }
}

/** The out_trade_no a trade query asks about (counted, and slowed by queryDelayMs). */
function queriedTrade(params: ReadonlyMap<string, string>, isOpen: boolean): string | undefined {
  if (!isOpen)
    return params.get('service') === 'single_trade_query' ? params.get('out_trade_no') : undefined
  if (params.get('method') !== 'alipay.trade.query') return undefined
  try {
    const biz = JSON.parse(params.get('biz_content') ?? '{}') as { out_trade_no?: unknown }
    return typeof biz.out_trade_no === 'string' ? biz.out_trade_no : undefined
  } catch {
    return undefined
  }
}

/** /gateway.do, GET and POST: the Open Platform when the request names a `method`, else the legacy gateway. */
export function gatewayRoutes(router: Router, web: WebState): void {
  router.all('/gateway.do', async (ctx) => {
    if (ctx.method !== 'GET' && ctx.method !== 'POST') {
      ctx.status = 405
      ctx.set('Allow', 'GET, POST')
      return
    }
    const body = ctx.method === 'POST' ? await readRawBody(ctx.req) : Buffer.alloc(0)
    const pairs = [...rawPairs(ctx.querystring), ...rawPairs(body.toString('latin1'))]
    const fail = (code: string, detail: string) =>
      send(ctx, { kind: 'html', status: 400, body: errorPage(code, detail) })
    if (pairs.length === 0)
      return fail(
        'ILLEGAL_SERVICE',
        'the request carries no parameters (was the form posted with its fields?)',
      )
    const isOpen = peekRaw(pairs, 'method') !== undefined && peekRaw(pairs, 'service') === undefined
    const label = isOpen ? peekRaw(pairs, 'charset') : peekRaw(pairs, '_input_charset')
    const charset = charsetOf(
      label === undefined ? undefined : decodeValue(label, 'utf-8'),
      isOpen ? 'utf-8' : 'gbk',
    )
    if (!charset) return fail('ILLEGAL_ARGUMENT', `unsupported charset "${label}"`)
    const params = decodePairs(pairs, charset)
    if (typeof params === 'string')
      return fail('ILLEGAL_ARGUMENT', `parameter ${params} is given twice with different values`)
    const session = web.session(ctx)
    const requestContext = { clientIp: ctx.ip, session, startFlow: web.startFlow.bind(web) }
    const query = queriedTrade(params, isOpen)
    const counted = query === undefined ? undefined : web.sim.beginQuery(query)
    try {
      const delay = query === undefined ? 0 : (web.sim.faultsFor(query).queryDelayMs ?? 0)
      if (delay > 0) await sleep(delay)
      send(
        ctx,
        isOpen
          ? handleOpen(web.sim, params, web.openAuth, `${ctx.protocol}://${ctx.host}`)
          : handleLegacy(web.sim, params, charset, requestContext),
      )
    } finally {
      counted?.end()
    }
  })
}
