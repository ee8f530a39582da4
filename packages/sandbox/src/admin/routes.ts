import { AlipayKitError } from '@alipay-kit/core'
import type Router from '@koa/router'
import type { Context } from 'koa'
import { parseFaults } from '../faults.js'
import { readRawBody } from '../http/body.js'
import { etaoReturn } from '../legacy/gateway.js'
import { paymentReturnUrl } from '../returns.js'
import type { WebState } from '../routes/state.js'
import { ActionError, type TradeAction } from '../simulator.js'
import { fen } from '../trades.js'
import { deliveryView, tradeView } from './views.js'

async function jsonBody(ctx: Context): Promise<Record<string, unknown>> {
  const raw = (await readRawBody(ctx.req)).toString('utf8')
  if (raw.trim() === '') return {}
  const value: unknown = JSON.parse(raw)
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AlipayKitError('INVALID_INPUT', 'the body must be a JSON object')
  return value as Record<string, unknown>
}

function fail(ctx: Context, status: number, error: string): void {
  ctx.status = status
  ctx.body = { error }
}

/**
 * The admin API (JSON under /__admin): state, the delivery log, faults, and status changes without
 * a browser. A development tool: it hands out the simulator's credentials.
 */
export function adminRoutes(router: Router, web: WebState): void {
  const { sim } = web
  const clockView = () => ({ now: new Date(sim.now()).toISOString(), nowMs: sim.now() })
  const trade = (ctx: Context) =>
    sim.findByOutTradeNo(decodeURIComponent(ctx.params.outTradeNo ?? ''))

  router.use('/__admin', async (ctx, next) => {
    try {
      await next()
    } catch (error) {
      if (error instanceof ActionError) return fail(ctx, 409, error.message)
      if (error instanceof SyntaxError || error instanceof Error)
        return fail(ctx, 400, error.message)
      throw error
    }
  })

  router.get('/__admin/credentials', (ctx) => {
    ctx.body = sim.credentials
  })
  router.get('/__admin/trades', (ctx) => {
    ctx.body = [...sim.trades.values()].map(tradeView)
  })
  // A paid trade the shop never created: it shows in the day's bill (a reconciliation finds it).
  router.post('/__admin/trades', async (ctx) => {
    const body = await jsonBody(ctx)
    const amount = typeof body.amount === 'string' ? body.amount : ''
    if (!/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(amount) || fen(amount) === 0)
      return fail(ctx, 400, 'amount must be a yuan string like "12.00"')
    const outTradeNo =
      typeof body.outTradeNo === 'string' ? body.outTradeNo : `FOREIGN${Date.now().toString(36)}`
    if (sim.findByOutTradeNo(outTradeNo))
      return fail(ctx, 409, `a trade with out_trade_no ${outTradeNo} exists`)
    const subject = typeof body.subject === 'string' ? body.subject : '线下收款'
    ctx.body = {
      trade: tradeView(sim.foreignTrade({ outTradeNo, totalFen: fen(amount), subject })),
    }
  })
  // The test clock (like Stripe's): moves the simulator's time forward, running what falls due.
  router.get('/__admin/clock', (ctx) => {
    ctx.body = clockView()
  })
  router.post('/__admin/clock', async (ctx) => {
    const body = await jsonBody(ctx)
    const clock = sim.clock as Partial<{ advance(ms: number): void }>
    if (typeof clock.advance !== 'function')
      return fail(ctx, 409, "this simulator's clock cannot be moved (it was given a fixed clock)")
    if (typeof body.advanceMs !== 'number' || !(body.advanceMs >= 0))
      return fail(ctx, 400, 'advanceMs must be a number of milliseconds, 0 or more')
    clock.advance(body.advanceMs)
    ctx.body = clockView()
  })
  router.get('/__admin/queries', (ctx) => {
    ctx.body = Object.fromEntries(
      [...sim.queries].map(([outTradeNo, { count, maxInFlight }]) => [
        outTradeNo,
        { count, maxInFlight },
      ]),
    )
  })
  router.get('/__admin/trades/:outTradeNo', (ctx) => {
    const found = trade(ctx)
    if (!found) return fail(ctx, 404, `no trade with out_trade_no ${ctx.params.outTradeNo}`)
    ctx.body = {
      trade: tradeView(found),
      deliveries: sim.deliveries.list(found.outTradeNo).map(deliveryView),
      returns: sim.returns.filter((r) => r.outTradeNo === found.outTradeNo),
    }
  })
  router.post('/__admin/trades/:outTradeNo/pay', async (ctx) => {
    const body = await jsonBody(ctx)
    const found = trade(ctx)
    if (!found) return fail(ctx, 404, `no trade with out_trade_no ${ctx.params.outTradeNo}`)
    const buyer = sim.findBuyer(
      typeof body.buyerId === 'string' ? body.buyerId : '2088102000000001',
    )
    if (!buyer) return fail(ctx, 400, `unknown buyerId ${String(body.buyerId)}`)
    sim.pay(found, buyer, body.choice === 'instant' ? 'instant' : 'escrow')
    ctx.body = { trade: tradeView(found), returnUrl: paymentReturnUrl(sim, found) ?? null }
  })
  router.post('/__admin/trades/:outTradeNo/actions/:action', async (ctx) => {
    await readRawBody(ctx.req)
    const found = trade(ctx)
    if (!found) return fail(ctx, 404, `no trade with out_trade_no ${ctx.params.outTradeNo}`)
    sim.act(found, ctx.params.action as TradeAction)
    ctx.body = { trade: tradeView(found) }
  })
  router.post('/__admin/trades/:outTradeNo/adjust', async (ctx) => {
    const body = await jsonBody(ctx)
    const found = trade(ctx)
    if (!found) return fail(ctx, 404, `no trade with out_trade_no ${ctx.params.outTradeNo}`)
    if (typeof body.amount !== 'string')
      return fail(ctx, 400, 'amount must be a yuan string like "90.00"')
    sim.adjustPrice(found, body.amount)
    ctx.body = { trade: tradeView(found) }
  })
  router.post('/__admin/trades/:outTradeNo/release', async (ctx) => {
    await readRawBody(ctx.req)
    ctx.body = { released: sim.deliveries.release(decodeURIComponent(ctx.params.outTradeNo ?? '')) }
  })
  router.put('/__admin/trades/:outTradeNo/faults', async (ctx) => {
    const faults = parseFaults(await jsonBody(ctx))
    sim.orderFaults.set(decodeURIComponent(ctx.params.outTradeNo ?? ''), faults)
    ctx.body = { faults }
  })
  router.put('/__admin/faults', async (ctx) => {
    sim.globalFaults = parseFaults(await jsonBody(ctx))
    ctx.body = { faults: sim.globalFaults }
  })
  router.delete('/__admin/faults', (ctx) => {
    sim.globalFaults = {}
    sim.orderFaults.clear()
    ctx.body = { faults: {} }
  })
  router.get('/__admin/faults/log', (ctx) => {
    ctx.body = sim.faultLog
  })
  router.get('/__admin/deliveries', (ctx) => {
    const outTradeNo = typeof ctx.query.outTradeNo === 'string' ? ctx.query.outTradeNo : undefined
    ctx.body = sim.deliveries.list(outTradeNo).map(deliveryView)
  })
  router.put('/__admin/settings', async (ctx) => {
    const body = await jsonBody(ctx)
    if (body.contract !== undefined) {
      if (!Array.isArray(body.contract) || !body.contract.every((s) => typeof s === 'string'))
        throw new AlipayKitError('INVALID_INPUT', 'contract must be a list of service names')
      sim.contract = new Set(body.contract as string[])
    }
    if (body.antiPhishing !== undefined) sim.antiPhishing = body.antiPhishing === true
    if (body.etaoTargetUrl !== undefined)
      sim.etaoTargetUrl = typeof body.etaoTargetUrl === 'string' ? body.etaoTargetUrl : undefined
    ctx.body = {
      contract: [...sim.contract],
      antiPhishing: sim.antiPhishing,
      etaoTargetUrl: sim.etaoTargetUrl ?? null,
    }
  })
  router.post('/__admin/etao/return', async (ctx) => {
    const body = await jsonBody(ctx)
    if (typeof body.returnUrl !== 'string' || typeof body.targetUrl !== 'string')
      return fail(
        ctx,
        400,
        "returnUrl and targetUrl are required (the shop's quick-login return_url, the etao page)",
      )
    const buyerId = typeof body.buyerId === 'string' ? body.buyerId : undefined
    if (buyerId && !sim.findBuyer(buyerId)) return fail(ctx, 400, `unknown buyerId ${buyerId}`)
    ctx.body = { url: etaoReturn(sim, body.returnUrl, body.targetUrl, buyerId) }
  })
  router.post('/__admin/tokens', async (ctx) => {
    const body = await jsonBody(ctx)
    const buyer = sim.findBuyer(typeof body.buyerId === 'string' ? body.buyerId : '')
    if (!buyer) return fail(ctx, 400, `unknown buyerId ${String(body.buyerId)}`)
    ctx.body = { token: sim.issueToken(buyer) }
  })
}
