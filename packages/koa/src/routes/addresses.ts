import type { AddressView, RegionPart } from '@alipay-kit/client'
import { ROUTES } from '@alipay-kit/client'
import { matchRegion, parseReceiveAddress, type ReceiveAddress } from '@alipay-kit/core'
import type Router from '@koa/router'
import type { KitContext } from '../context.js'
import { readRaw } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { finishFlow, startFlow } from '../http/flows.js'
import { tokenValid } from '../http/session.js'
import { PATHS } from '../paths.js'
import { useReturnOnce } from '../repositories/used-returns.js'
import { returnTarget } from './login.js'

/** Alipay's address, with its regions matched to national division codes (docs/protocol.md, "Addresses"). */
export function addressFromAlipay(address: ReceiveAddress): AddressView {
  const match = matchRegion({ province: address.prov, city: address.city, district: address.area })
  const part = (name: string, found: { code: string; name: string } | undefined): RegionPart => ({
    name: found?.name ?? name,
    code: found?.code ?? null,
  })
  return {
    recipient: address.fullname,
    phone: address.mobilePhone ?? address.phone ?? '',
    province: part(address.prov, match.province),
    city: part(address.city, match.city),
    district: part(address.area, match.district),
    street: address.address,
    postcode: address.post ?? null,
    source: 'alipay',
    confidence: match.confidence,
  }
}

/**
 * GET /api/addresses/select?returnTo=…: to Alipay's address book with the session's token;
 * POST /alipay/address/return/:state: Alipay hands the choice back (a cross-site form POST, so
 * the session is found through the flow's state, not the cookie); GET /api/addresses/selected.
 */
export function addressRoutes(router: Router, kit: KitContext): void {
  router.get(ROUTES.addressSelect, kit.limits.logins, async (ctx) => {
    const legacy = kit.config.legacy
    if (!legacy)
      throw new ApiError(404, 'NOT_FOUND', 'Alipay addresses need the legacy gateway configured')
    const returnTo = returnTarget(kit, ctx.query.returnTo)
    // No session yet: nothing to keep until the login this sends the buyer to starts one.
    const session = await kit.sessions.load(ctx)
    const member = session?.data.member
    if (!session || member?.via !== 'quick_login' || !tokenValid(member)) {
      // The address book needs a fresh quick-login token: log in first, then come back here.
      const again = `${kit.config.publicUrl}${ROUTES.addressSelect}?returnTo=${encodeURIComponent(returnTo)}`
      ctx.redirect(`${ROUTES.login}?via=quick_login&returnTo=${encodeURIComponent(again)}`)
      return
    }
    const state = await startFlow(kit.store, session.hash, 'address', returnTo)
    const request = legacy.addressQuery({
      token: member.token as string,
      return_url: `${kit.config.publicUrl}${PATHS.addressReturn}/${state}`,
    })
    ctx.redirect(request.url)
  })

  router.post(`${PATHS.addressReturn}/:state`, async (ctx) => {
    const legacy = kit.gateways.legacy
    if (!legacy)
      throw new ApiError(404, 'NOT_FOUND', 'Alipay addresses need the legacy gateway configured')
    const body = await readRaw(ctx, 64 * 1024)
    const flow = await finishFlow(kit.store, ctx.params.state, 'address')
    if (!flow)
      throw new ApiError(
        403,
        'CSRF',
        'This address choice was not started here, or it expired; choose again',
      )
    const back = new URL(flow.returnTo)
    const verified = await legacy.verifyReturn({ body, contentType: ctx.get('content-type') })
    const address = verified.ok
      ? parseReceiveAddress(verified.params.receive_address ?? '')
      : undefined
    // Good once, like a login return (docs/security.md, "Login CSRF").
    const fresh =
      verified.ok &&
      address !== undefined &&
      (await useReturnOnce(kit.store, verified.params.notify_id ?? ''))
    if (!verified.ok || !address || !fresh) {
      kit.config.logger.warn(
        {
          address: {
            outcome: 'refused',
            reason: !verified.ok
              ? verified.rejection.code
              : address
                ? 'this return was used already'
                : 'no receive_address',
          },
        },
        'address',
      )
      back.searchParams.set('alipay_address', 'failed')
      ctx.redirect(back.href)
      return
    }
    const userId = verified.params.user_id
    const chosen = addressFromAlipay(address)
    await kit.sessions.saveByHash(flow.sessionHash, (data) =>
      // Only the member who started the choice gets the address.
      data.member?.userId === userId ? { ...data, address: chosen } : data,
    )
    back.searchParams.set('alipay_address', 'selected')
    ctx.status = 303
    ctx.redirect(back.href)
  })

  router.get(ROUTES.addressSelected, async (ctx) => {
    const session = await kit.sessions.load(ctx)
    ctx.set('Cache-Control', 'no-store')
    ctx.body = { address: session?.data.address ?? null }
  })
}
