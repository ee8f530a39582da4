import { type Harness, SAMPLE_ADDRESS, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Issue 25, finding 1 (docs/security.md, "Login CSRF"): a signed quick-login return that nobody in
 * this browser asked for must never log the browser in silently, never move its anonymous orders
 * (with their addresses) into someone's account, and is good once. The same review for the OAuth
 * and address-book returns. Every attack here is made with real requests over HTTP.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const ATTACKER = '2088102000000003'
const statelessReturn = () => `${h.bff.url}/alipay/login/return`

/** The attacker logs in at the simulator, but keeps the signed return instead of following it. */
async function attackersOwnReturn(): Promise<URL> {
  const attacker = new Shopper(h.bff.url)
  await attacker.browser.open(`${h.bff.url}/api/login?returnTo=${encodeURIComponent('/')}`)
  await attacker.browser.logIn(ATTACKER, '111111', (url) =>
    url.pathname.startsWith('/alipay/login/return/'),
  )
  return new URL(attacker.browser.url)
}

/** A buyer who ordered a shipped item without logging in: the order holds an address and phone. */
async function anonymousBuyerWithOrder() {
  const victim = new Shopper(h.bff.url)
  const created = await victim.order('instant', [{ sku: 'teapot', quantity: 1 }], SAMPLE_ADDRESS)
  return { victim, orderId: created.order.id }
}

async function ownerOf(orderId: string): Promise<string | null> {
  const rows = await h.store.query<{ user_id: string | null }>(
    'select user_id from akit_orders where id = $1',
    [orderId],
  )
  return rows[0]?.user_id ?? null
}

describe('login CSRF through the stateless quick-login return', () => {
  it("an attacker's own return replayed on the stateless path logs nobody in and moves no order", async () => {
    const captured = await attackersOwnReturn()
    const { victim, orderId } = await anonymousBuyerWithOrder()
    await victim.browser.open(`${statelessReturn()}${captured.search}`)
    expect((await victim.call('/api/session')).body.user).toBeNull()
    expect(await ownerOf(orderId)).toBeNull()
    // The attacker, logged in as themselves, does not see the victim's order.
    const attacker = new Shopper(h.bff.url)
    await attacker.logIn('/', ATTACKER)
    const { body } = await attacker.call<{ orders: Array<{ id: string }> }>('/api/orders')
    expect(body.orders.map((o) => o.id)).not.toContain(orderId)
  })

  it('an etao login asks the buyer to confirm before it logs anyone in', async () => {
    const { victim, orderId } = await anonymousBuyerWithOrder()
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: statelessReturn(),
      targetUrl: `${h.bff.url}/products/cup`,
      buyerId: ATTACKER,
    })
    await victim.browser.open(url)
    // A page naming the account, in both languages; nobody is logged in yet.
    expect(victim.browser.status).toBe(200)
    expect(victim.browser.html).toContain('支付宝用户')
    expect(victim.browser.html).toMatch(/Log in as/)
    expect((await victim.call('/api/session')).body.user).toBeNull()
    // "Not me": still nobody, on to target_url.
    const notMe = /id="not-me" href="([^"]+)"/.exec(victim.browser.html)?.[1]
    expect(notMe).toBeDefined()
    await victim.browser.open((notMe as string).replaceAll('&amp;', '&'))
    expect(victim.browser.url).toBe(`${h.bff.url}/products/cup`)
    expect((await victim.call('/api/session')).body.user).toBeNull()
    expect(await ownerOf(orderId)).toBeNull()
  })

  it('a confirmed etao login logs the buyer in, keeps their orders readable and moves none into the account', async () => {
    const { victim, orderId } = await anonymousBuyerWithOrder()
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: statelessReturn(),
      targetUrl: `${h.bff.url}/products/cup`,
      buyerId: '2088102000000002',
    })
    await victim.browser.open(url)
    const action = /<form method="post" action="([^"]+)"/.exec(victim.browser.html)?.[1]
    expect(action).toBeDefined()
    await victim.browser.submit(action as string)
    expect(victim.browser.url).toBe(`${h.bff.url}/products/cup`)
    expect((await victim.call('/api/session')).body.user.userId).toBe('2088102000000002')
    expect((await victim.call(`/api/orders/${orderId}`)).status).toBe(200)
    expect(await ownerOf(orderId)).toBeNull()
  })

  it('an etao return is good once: a second browser given the same link is not logged in', async () => {
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: statelessReturn(),
      targetUrl: `${h.bff.url}/`,
      buyerId: ATTACKER,
    })
    const first = new Shopper(h.bff.url)
    await first.browser.open(url)
    expect(first.browser.html).toContain('支付宝用户')
    const second = new Shopper(h.bff.url)
    await second.browser.open(url)
    expect(second.browser.html).not.toMatch(/Log in as/)
    expect(second.browser.url).toContain('alipay_login=failed')
    expect((await second.call('/api/session')).body.user).toBeNull()
  })

  it('a confirmation belongs to the browser that got it: another browser cannot post it', async () => {
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: statelessReturn(),
      targetUrl: `${h.bff.url}/`,
      buyerId: ATTACKER,
    })
    const attacker = new Shopper(h.bff.url)
    await attacker.browser.open(url)
    const action = /<form method="post" action="([^"]+)"/.exec(attacker.browser.html)?.[1] as string
    const victim = new Shopper(h.bff.url)
    await victim.saveCart([{ sku: 'cup', quantity: 1 }])
    const response = await victim.browser.fetch(new URL(action, h.bff.url).href, {
      method: 'POST',
    })
    expect(response.status).toBe(403)
    expect((await victim.call('/api/session')).body.user).toBeNull()
  })

  it("the stateful return is good once, in this browser only (the attacker's link fails elsewhere)", async () => {
    const captured = await attackersOwnReturn()
    const victim = new Shopper(h.bff.url)
    await victim.saveCart([{ sku: 'cup', quantity: 1 }])
    const response = await victim.browser.fetch(captured.href)
    expect(response.status).toBe(403)
    expect((await victim.call('/api/session')).body.user).toBeNull()
  })

  it('the OAuth return is bound to the browser that started it and good once', async () => {
    const startOAuth = async (shopper: Shopper) => {
      await shopper.browser.open(
        `${h.bff.url}/api/login?via=oauth&returnTo=${encodeURIComponent('/')}`,
      )
      await shopper.browser.logIn(ATTACKER, '111111', (u) => u.pathname === '/alipay/oauth/return')
      return shopper.browser.url
    }
    // Given to another browser, the attacker's return logs nobody in (and is spent).
    const attacker = new Shopper(h.bff.url)
    const captured = await startOAuth(attacker)
    const victim = new Shopper(h.bff.url)
    await victim.saveCart([{ sku: 'cup', quantity: 1 }])
    expect((await victim.browser.fetch(captured)).status).toBe(403)
    expect((await victim.call('/api/session')).body.user).toBeNull()
    // In its own browser it works once; the same return a second time is refused.
    const again = await startOAuth(attacker)
    await attacker.browser.open(again)
    expect((await attacker.call('/api/session')).body.user.userId).toBe(ATTACKER)
    expect((await attacker.browser.fetch(again)).status).toBe(403)
  })
})

describe('buyer tokens at rest', () => {
  it("the session row keeps neither the quick-login token nor OAuth's access token in clear", async () => {
    const captured = await attackersOwnReturn()
    const token = captured.searchParams.get('token')
    expect(token).toBeTruthy()
    const quick = new Shopper(h.bff.url)
    await quick.logIn('/', '2088102000000001')
    const oauth = new Shopper(h.bff.url)
    await oauth.logIn('/', '2088102000000002', 'oauth')
    expect((await oauth.call('/api/session')).body.user.via).toBe('oauth')
    const rows = await h.store.query<{ data: string }>(
      'select data::text as data from akit_sessions',
    )
    const all = rows.map((r) => r.data).join('\n')
    expect(all).toContain('2088102000000001')
    expect(all).not.toMatch(/"token"\s*:/)
    expect(all).not.toMatch(/accessToken/)
    // No token the simulator issued is kept in clear.
    const issued = h.sandbox.simulator.snapshot().tokens.map((t) => t.token)
    expect(issued).toContain(token)
    for (const t of issued) expect(all).not.toContain(t)
  })
})
