import { type LoginMethod, ROUTES } from '@alipay-kit/client'
import type Router from '@koa/router'
import type { Context } from 'koa'
import type { KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { finishFlow, peekFlow, startFlow } from '../http/flows.js'
import { loginConfirmPage } from '../http/login-confirm-page.js'
import { safeRedirectTarget } from '../http/origins.js'
import { rawQuery } from '../http/raw-query.js'
import type { SessionData, SessionMember } from '../http/session.js'
import { PATHS } from '../paths.js'
import { adoptSessionOrders } from '../repositories/orders.js'
import { useReturnOnce } from '../repositories/used-returns.js'

/** Quick-login tokens are good for 30 minutes (docs/protocol.md, "Quick login"). */
const TOKEN_TTL_MS = 30 * 60_000

/** Where to send the buyer back: an allowed `returnTo`, or the SPA's home. */
export function returnTarget(kit: KitContext, returnTo: unknown): string {
  return (
    safeRedirectTarget(returnTo, kit.config.allowedOrigins, `${kit.config.appUrl}/`) ??
    `${kit.config.appUrl}/`
  )
}

/** etao's target_url, when it is on an allowed origin (docs/protocol.md, "etao"). */
function etaoTarget(kit: KitContext, targetUrl: unknown): string | undefined {
  return targetUrl
    ? safeRedirectTarget(targetUrl, kit.config.allowedOrigins, `${kit.config.appUrl}/`)
    : undefined
}

/** The member a verified quick-login return names. */
function quickLoginMember(p: Readonly<Record<string, string>>): SessionMember {
  return {
    userId: p.user_id as string,
    realName: p.real_name ?? '',
    ...(p.email ? { email: p.email } : {}),
    via: 'quick_login',
    ...(p.token ? { token: p.token, tokenExpiresAt: Date.now() + TOKEN_TTL_MS } : {}),
  }
}

/**
 * After login: a new session id (no fixation) keeping the cart. The browser's anonymous orders
 * follow it; they join the member's account only when this browser asked for the login (`adopt`),
 * never on a login etao started (docs/security.md, "Login CSRF").
 */
async function logIn(
  kit: KitContext,
  ctx: Context,
  session: { hash: string; data: SessionData },
  member: SessionMember,
  adopt: boolean,
) {
  const fresh = await kit.sessions.rotate(ctx, { ...session.data, member })
  await adoptSessionOrders(
    kit.store,
    { sessionHash: session.hash },
    { sessionHash: fresh.hash, userId: adopt ? member.userId : null },
  )
}

/**
 * A signed return is good once: its notify_id is recorded at first use (Alipay's notify_verify
 * answers `true` for the same id for about a minute, to anyone who replays it).
 */
async function firstUse(kit: KitContext, p: Readonly<Record<string, string>>): Promise<boolean> {
  return p.notify_id !== undefined && p.notify_id !== '' && useReturnOnce(kit.store, p.notify_id)
}

/** What an etao login waits to confirm: the member, without the token (a login nobody asked for). */
interface PendingEtaoLogin {
  readonly userId: string
  readonly realName: string
  readonly email?: string
}

function failedLogin(kit: KitContext, ctx: Context, returnTo: string | undefined, reason: string) {
  kit.config.logger.warn({ login: { outcome: 'refused', reason } }, 'login')
  const target = new URL(returnTo ?? `${kit.config.appUrl}/`)
  target.searchParams.set('alipay_login', 'failed')
  ctx.redirect(target.href)
}

/**
 * The etao login offered to this browser (its state in the path, bound to the session): read for
 * the page that asks, taken (once) when the buyer confirms. 403 for any other browser.
 */
async function offeredLogin(kit: KitContext, ctx: Context, how: 'peek' | 'take') {
  const flow = await (how === 'peek' ? peekFlow : finishFlow)(
    kit.store,
    ctx.params.state,
    'etao_login',
  )
  const session = await kit.sessions.load(ctx)
  if (!flow || !session || flow.sessionHash !== session.hash)
    throw new ApiError(
      403,
      'CSRF',
      'This login was not offered to this browser, or it expired; go back to the shop and log in there',
    )
  return { flow, session, pending: flow.data as PendingEtaoLogin }
}

/**
 * GET /api/login?returnTo=…&via=quick_login|oauth: to Alipay with a CSRF state; and the two return
 * handlers, which verify Alipay's answer, key the member by user_id, keep the token server-side,
 * and send the buyer back to `returnTo` (or etao's target_url) when it is an allowed origin.
 */
export function loginRoutes(router: Router, kit: KitContext): void {
  router.get(ROUTES.login, kit.limits.logins, async (ctx) => {
    const via = (ctx.query.via ?? kit.config.loginMethods[0]) as LoginMethod
    if (!kit.config.loginMethods.includes(via))
      throw new ApiError(
        400,
        'INVALID_INPUT',
        `via must be one of ${kit.config.loginMethods.join(', ')}`,
        'via',
      )
    const returnTo = returnTarget(kit, ctx.query.returnTo)
    const session = await kit.sessions.ensure(ctx)
    const state = await startFlow(kit.store, session.hash, via, returnTo)
    if (via === 'quick_login' && kit.gateways.legacy) {
      ctx.redirect(
        await kit.gateways.legacy.quickLoginUrl(
          `${kit.config.publicUrl}${PATHS.quickLoginReturn}/${state}`,
          { token: undefined, ip: ctx.ip },
        ),
      )
    } else if (kit.config.open) {
      ctx.redirect(
        kit.config.open.oauthAuthorizeUrl({
          redirect_uri: `${kit.config.publicUrl}${PATHS.oauthReturn}`,
          state,
        }),
      )
    }
  })

  router.get(`${PATHS.quickLoginReturn}/:state`, async (ctx) => {
    const legacy = kit.gateways.legacy
    if (!legacy || !kit.config.legacy)
      throw new ApiError(404, 'NOT_FOUND', 'Quick login is not configured')
    const flow = await finishFlow(kit.store, ctx.params.state, 'quick_login')
    const session = await kit.sessions.load(ctx)
    if (!flow || !session || flow.sessionHash !== session.hash)
      throw new ApiError(
        403,
        'CSRF',
        'This login was not started from this browser, or it expired; start again from the shop',
      )
    const verified = await legacy.verifyReturn(rawQuery(ctx))
    if (!verified.ok) return failedLogin(kit, ctx, flow.returnTo, verified.rejection.reason)
    const p = verified.params
    // An etao buyer logged in neither at Alipay nor at Taobao comes back with only target_url
    // and notify_id: straight on to target_url (docs/protocol.md, "etao").
    if (!p.user_id && p.target_url)
      return ctx.redirect(etaoTarget(kit, p.target_url) ?? flow.returnTo)
    if (p.is_success !== 'T' || !p.user_id || !/^2088\d{12}$/.test(p.user_id))
      return failedLogin(kit, ctx, flow.returnTo, `is_success=${p.is_success ?? ''}`)
    if (!(await firstUse(kit, p)))
      return failedLogin(kit, ctx, flow.returnTo, 'this return was used already')
    await logIn(kit, ctx, session, quickLoginMember(p), true)
    kit.config.logger.info({ login: { via: 'quick_login', outcome: 'ok' } }, 'login')
    ctx.redirect(etaoTarget(kit, p.target_url) ?? flow.returnTo)
  })

  // A return etao started (the buyer clicked one of the shop's goods there): no state of ours.
  // Nobody in this browser asked for it, so it never logs anyone in by itself: it must be etao's
  // (target_url), good once (notify_id), and the buyer confirms it on a page of the BFF's; even
  // then the browser's anonymous orders join no account (docs/security.md, "Login CSRF").
  router.get(PATHS.quickLoginReturn, async (ctx) => {
    const legacy = kit.gateways.legacy
    if (!legacy) throw new ApiError(404, 'NOT_FOUND', 'Quick login is not configured')
    const target = returnTarget(kit, ctx.query.target_url)
    // Not logged in at etao: only target_url and notify_id; going there changes nothing.
    if (typeof ctx.query.user_id !== 'string') {
      kit.config.logger.info({ login: { via: 'etao', outcome: 'not logged in' } }, 'login')
      return ctx.redirect(target)
    }
    // etao's returns name where the buyer was going; a login the shop started does not, and is
    // only ever valid at its own /<state> path (the signature does not cover the path).
    if (typeof ctx.query.target_url !== 'string' || ctx.query.target_url === '')
      return failedLogin(kit, ctx, target, "a login return without target_url is not etao's")
    const verified = await legacy.verifyReturn(rawQuery(ctx))
    if (!verified.ok) return failedLogin(kit, ctx, target, verified.rejection.reason)
    const p = verified.params
    if (p.is_success !== 'T' || !p.user_id || !/^2088\d{12}$/.test(p.user_id))
      return failedLogin(kit, ctx, target, `is_success=${p.is_success ?? ''}`)
    if (!(await firstUse(kit, p)))
      return failedLogin(kit, ctx, target, 'this return was used already')
    const session = await kit.sessions.ensure(ctx)
    const current = session.data.member
    // Already this member: nothing to ask. Another member: a signed return someone else obtained
    // must not switch your account.
    if (current) {
      if (current.userId !== p.user_id)
        kit.config.logger.warn(
          { login: { via: 'etao', outcome: 'kept the logged-in member' } },
          'login',
        )
      return ctx.redirect(target)
    }
    const pending: PendingEtaoLogin = {
      userId: p.user_id,
      realName: p.real_name ?? '',
      ...(p.email ? { email: p.email } : {}),
    }
    const state = await startFlow(kit.store, session.hash, 'etao_login', target, pending)
    kit.config.logger.info({ login: { via: 'etao', outcome: 'asked to confirm' } }, 'login')
    ctx.redirect(`${kit.config.publicUrl}${PATHS.quickLoginConfirm}/${state}`)
  })

  router.get(`${PATHS.quickLoginConfirm}/:state`, async (ctx) => {
    const { flow, pending } = await offeredLogin(kit, ctx, 'peek')
    ctx.set('Cache-Control', 'no-store')
    ctx.type = 'html'
    ctx.body = loginConfirmPage({
      realName: pending.realName,
      userId: pending.userId,
      action: `${kit.config.publicUrl}${PATHS.quickLoginConfirm}/${ctx.params.state}`,
      notMe: flow.returnTo,
    })
  })

  router.post(`${PATHS.quickLoginConfirm}/:state`, async (ctx) => {
    // A form of the BFF's own page: a browser sends this origin, or `null` (the page's referrer
    // policy is no-referrer, so that the state in its URL leaks nowhere). The state, bound to
    // this browser's session and good once, is what no other page can forge.
    const origin = ctx.get('origin')
    if (origin !== '' && origin !== 'null' && origin !== new URL(kit.config.publicUrl).origin)
      throw new ApiError(403, 'CSRF', `Origin ${origin} may not confirm a login here`)
    const { flow, session, pending } = await offeredLogin(kit, ctx, 'take')
    await logIn(
      kit,
      ctx,
      session,
      {
        userId: pending.userId,
        realName: pending.realName,
        ...(pending.email ? { email: pending.email } : {}),
        via: 'quick_login',
      },
      false,
    )
    kit.config.logger.info({ login: { via: 'etao', outcome: 'ok' } }, 'login')
    ctx.status = 303
    ctx.redirect(flow.returnTo)
  })

  router.get(PATHS.oauthReturn, async (ctx) => {
    const open = kit.gateways.open
    if (!open || !kit.config.open)
      throw new ApiError(404, 'NOT_FOUND', 'OAuth login is not configured')
    const flow = await finishFlow(kit.store, ctx.query.state, 'oauth')
    const session = await kit.sessions.load(ctx)
    if (!flow || !session || flow.sessionHash !== session.hash)
      throw new ApiError(
        403,
        'CSRF',
        'The login state does not match this browser; start again from the shop',
      )
    const code = typeof ctx.query.auth_code === 'string' ? ctx.query.auth_code : ''
    if (!code) return failedLogin(kit, ctx, flow.returnTo, 'no auth_code (the buyer declined)')
    const token = await open.call(kit.config.open.oauthToken({ code }))
    // Alipay's token answer carries no `code` when it succeeds: a signed user_id and token are the success.
    const granted =
      token.verified &&
      (token.code === '' || token.code === '10000') &&
      typeof token.data.user_id === 'string' &&
      typeof token.data.access_token === 'string'
    if (!granted || typeof token.data.user_id !== 'string')
      return failedLogin(kit, ctx, flow.returnTo, `oauth token: ${token.subCode ?? token.code}`)
    const accessToken = String(token.data.access_token ?? '')
    const info = await open.call(kit.config.open.userInfoShare(accessToken))
    const name = info.success && typeof info.data.nick_name === 'string' ? info.data.nick_name : ''
    // The access token served to read the name; it is not kept (docs/security.md, "Tokens").
    await logIn(
      kit,
      ctx,
      session,
      { userId: token.data.user_id, realName: name, via: 'oauth' },
      true,
    )
    kit.config.logger.info({ login: { via: 'oauth', outcome: 'ok' } }, 'login')
    ctx.redirect(flow.returnTo)
  })
}
