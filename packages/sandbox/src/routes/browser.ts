import type Router from '@koa/router'
import type { Context } from 'koa'
import { SANDBOX_PASSWORD } from '../buyers.js'
import { readRawBody } from '../http/body.js'
import { decodePairs, rawPairs } from '../http/form.js'
import { addressReturnFields, quickLoginReturn } from '../legacy/gateway.js'
import { html, page } from '../pages/html.js'
import {
  addressesPage,
  autoPostPage,
  cancelledPage,
  cashierPage,
  consolePage,
  errorPage,
  loginPage,
  paidPage,
  tradePage,
} from '../pages/pages.js'
import { paymentReturnUrl } from '../returns.js'
import { ActionError, type TradeAction } from '../simulator.js'
import type { Trade } from '../trades.js'
import { send } from './gateway.js'
import { safeNext, type WebState } from './state.js'

const ACTIONS: readonly TradeAction[] = [
  'ship',
  'confirm',
  'close',
  'finish',
  'request_refund',
  'refuse_refund',
  'agree_refund',
  'return_goods',
  'confirm_return',
  'cancel_refund',
]

async function formOf(ctx: Context): Promise<Map<string, string>> {
  const decoded = decodePairs(rawPairs((await readRawBody(ctx.req)).toString('latin1')), 'utf-8')
  return typeof decoded === 'string' ? new Map() : decoded
}

function htmlPage(ctx: Context, body: string, status = 200): void {
  send(ctx, { kind: 'html', status, body })
}

function toLogin(ctx: Context, next: string): void {
  ctx.redirect(`/login?next=${encodeURIComponent(next)}`)
}

/** What can happen next to a trade, for the console's buttons. */
export function possibleActions(trade: Trade): TradeAction[] {
  return ACTIONS.filter((action) => {
    const s = trade.tradeStatus
    const r = trade.refundStatus
    const open = r === undefined || r === 'REFUND_SUCCESS' || r === 'REFUND_CLOSED'
    switch (action) {
      case 'ship':
        return s === 'WAIT_SELLER_SEND_GOODS' && open
      case 'confirm':
        return s === 'WAIT_BUYER_CONFIRM_GOODS' && open
      case 'close':
        return s === 'WAIT_BUYER_PAY'
      case 'finish':
        return s === 'TRADE_SUCCESS'
      case 'request_refund':
        return (
          (s === 'WAIT_SELLER_SEND_GOODS' || s === 'WAIT_BUYER_CONFIRM_GOODS') &&
          (r === undefined || r === 'SELLER_REFUSE_BUYER' || r === 'REFUND_CLOSED')
        )
      case 'refuse_refund':
      case 'agree_refund':
        return r === 'WAIT_SELLER_AGREE'
      case 'return_goods':
        return r === 'WAIT_BUYER_RETURN_GOODS'
      case 'confirm_return':
        return r === 'WAIT_SELLER_CONFIRM_GOODS'
      case 'cancel_refund':
        return r === 'WAIT_SELLER_AGREE' || r === 'SELLER_REFUSE_BUYER'
    }
    return false
  })
}

/** The pages a buyer (or a test browser) clicks through. */
export function browserRoutes(router: Router, web: WebState): void {
  const { sim } = web

  router.get('/', (ctx) => {
    const c = sim.credentials
    htmlPage(
      ctx,
      page(
        'alipay-kit sandbox',
        html`<p>A local Alipay for development and tests. Gateway (both): <code>${ctx.protocol}://${ctx.host}/gateway.do</code></p>
<table><tbody><tr><th scope="row">partner</th><td>${c.partner}</td></tr><tr><th scope="row">seller email</th><td>${c.sellerEmail}</td></tr><tr><th scope="row">app_id</th><td>${c.appId}</td></tr></tbody></table>
<p>Buyers log in with password <strong>${SANDBOX_PASSWORD}</strong>. <a href="/console">Console</a> · admin API under <code>/__admin</code>.</p>`,
      ),
    )
  })

  router.get('/login', (ctx) => {
    htmlPage(ctx, loginPage(sim.accounts, safeNext(ctx.query.next)))
  })

  router.post('/login', async (ctx) => {
    const form = await formOf(ctx)
    const next = safeNext(form.get('next'))
    const buyer = sim.findBuyer(form.get('user_id') ?? '')
    if (!buyer || form.get('password') !== SANDBOX_PASSWORD) {
      return htmlPage(
        ctx,
        loginPage(
          sim.accounts,
          next,
          '账户名或登录密码不正确 · Wrong account name or login password',
        ),
        401,
      )
    }
    const session = web.session(ctx)
    session.buyerId = buyer.userId
    session.loginExpiresAt = sim.now() + 10 * 60_000
    ctx.redirect(next)
  })

  router.get('/cashier/:tradeNo', (ctx) => {
    const trade = sim.trades.get(ctx.params.tradeNo ?? '')
    if (!trade) return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'no such trade'), 404)
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, ctx.path)
    if (buyer.userId === sim.merchant.partner)
      return htmlPage(
        ctx,
        errorPage('BUYER_SELLER_EQUAL', 'the seller cannot pay its own trade'),
        400,
      )
    if (trade.tradeStatus !== 'WAIT_BUYER_PAY')
      return htmlPage(ctx, errorPage('TRADE_NOT_ALLOWED_PAY', `trade is ${trade.tradeStatus}`), 400)
    htmlPage(ctx, cashierPage(trade, buyer, sim.merchant.sellerEmail))
  })

  // Opening a QR code's URL is scanning it: the buyer goes on to pay that trade.
  router.get('/qr/:code', (ctx) => {
    const trade = sim.tradeForQrCode(ctx.params.code ?? '')
    if (!trade)
      return htmlPage(
        ctx,
        errorPage(
          'QR_CODE_EXPIRED',
          '二维码已过期或不存在 · This QR code has expired or does not exist',
        ),
        404,
      )
    ctx.redirect(`/cashier/${trade.tradeNo}`)
  })

  router.post('/cashier/:tradeNo/pay', async (ctx) => {
    const trade = sim.trades.get(ctx.params.tradeNo ?? '')
    const form = await formOf(ctx)
    if (!trade) return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'no such trade'), 404)
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, `/cashier/${trade.tradeNo}`)
    if (buyer.userId === sim.merchant.partner)
      return htmlPage(
        ctx,
        errorPage('BUYER_SELLER_EQUAL', 'the seller cannot pay its own trade'),
        400,
      )
    try {
      sim.pay(trade, buyer, form.get('choice') === 'instant' ? 'instant' : 'escrow')
    } catch (error) {
      if (error instanceof ActionError)
        return htmlPage(ctx, errorPage('TRADE_NOT_ALLOWED_PAY', error.message), 400)
      throw error
    }
    htmlPage(ctx, paidPage(trade, paymentReturnUrl(sim, trade)))
  })

  router.post('/cashier/:tradeNo/cancel', (ctx) => {
    const trade = sim.trades.get(ctx.params.tradeNo ?? '')
    if (!trade) return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'no such trade'), 404)
    htmlPage(ctx, cancelledPage(trade))
  })

  router.get('/auth/:id', (ctx) => {
    const flow = web.flow(ctx.params.id ?? '')
    if (flow?.kind !== 'auth')
      return htmlPage(
        ctx,
        errorPage('ILLEGAL_ARGUMENT', 'this login has expired; start again from the shop'),
        404,
      )
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, ctx.path)
    ctx.redirect(
      quickLoginReturn(sim, flow.returnUrl, buyer.userId, flow.charset, sim.etaoTargetUrl),
    )
  })

  router.get('/addresses/:id', (ctx) => {
    const flow = web.flow(ctx.params.id ?? '')
    if (flow?.kind !== 'address')
      return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'this address choice has expired'), 404)
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, ctx.path)
    htmlPage(ctx, addressesPage(ctx.params.id ?? '', buyer))
  })

  router.post('/addresses/:id', async (ctx) => {
    const flow = web.flow(ctx.params.id ?? '')
    const form = await formOf(ctx)
    if (flow?.kind !== 'address')
      return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'this address choice has expired'), 404)
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, `/addresses/${ctx.params.id}`)
    htmlPage(
      ctx,
      autoPostPage(
        flow.returnUrl,
        addressReturnFields(sim, buyer.userId, Number(form.get('index') ?? 0), flow.charset),
      ),
    )
  })

  router.get('/oauth2/publicAppAuthorize.htm', (ctx) => {
    const redirectUri = typeof ctx.query.redirect_uri === 'string' ? ctx.query.redirect_uri : ''
    if (ctx.query.app_id !== sim.merchant.appId)
      return htmlPage(
        ctx,
        errorPage(
          'isv.invalid-app-id',
          `app_id ${String(ctx.query.app_id)} is not this simulator's`,
        ),
        400,
      )
    if (!/^https?:\/\//.test(redirectUri))
      return htmlPage(
        ctx,
        errorPage('isv.invalid-parameter', 'redirect_uri must be an absolute http(s) URL'),
        400,
      )
    const id = web.startFlow({
      kind: 'oauth',
      redirectUri,
      state: typeof ctx.query.state === 'string' ? ctx.query.state : undefined,
      scope: typeof ctx.query.scope === 'string' ? ctx.query.scope : 'auth_user',
    })
    toLogin(ctx, `/oauth2/complete/${id}`)
  })

  router.get('/oauth2/complete/:id', (ctx) => {
    const flow = web.flow(ctx.params.id ?? '')
    if (flow?.kind !== 'oauth')
      return htmlPage(
        ctx,
        errorPage('isv.invalid-parameter', 'this authorisation has expired'),
        404,
      )
    const buyer = web.buyerOf(web.session(ctx))
    if (!buyer) return toLogin(ctx, ctx.path)
    const url = new URL(flow.redirectUri)
    url.searchParams.set('app_id', sim.merchant.appId)
    url.searchParams.set('source', 'alipay_wallet')
    url.searchParams.set('scope', flow.scope)
    url.searchParams.set('auth_code', web.openAuth.issueCode(buyer.userId, sim.now()))
    if (flow.state !== undefined) url.searchParams.set('state', flow.state)
    ctx.redirect(url.toString())
  })

  router.get('/console', (ctx) => htmlPage(ctx, consolePage([...sim.trades.values()].reverse())))

  router.get('/console/:tradeNo', (ctx) => {
    const trade = sim.trades.get(ctx.params.tradeNo ?? '')
    if (!trade) return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'no such trade'), 404)
    htmlPage(ctx, tradePage(trade, possibleActions(trade)))
  })

  router.post('/console/:tradeNo/:action', async (ctx) => {
    await readRawBody(ctx.req)
    const trade = sim.trades.get(ctx.params.tradeNo ?? '')
    const action = ctx.params.action as TradeAction
    if (!trade || !ACTIONS.includes(action))
      return htmlPage(ctx, errorPage('ILLEGAL_ARGUMENT', 'no such trade or action'), 404)
    try {
      sim.act(trade, action)
      htmlPage(
        ctx,
        tradePage(
          trade,
          possibleActions(trade),
          `${action} → ${trade.tradeStatus}${trade.refundStatus ? ` / ${trade.refundStatus}` : ''}`,
        ),
      )
    } catch (error) {
      if (!(error instanceof ActionError)) throw error
      htmlPage(ctx, tradePage(trade, possibleActions(trade), error.message), 409)
    }
  })
}
