import { type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Returns that etao started (docs/protocol.md, "etao"; [QL] §5, §6.3 notes 5 and 6): they reach
 * the quick-login return_url with no state of the shop's. A buyer logged in at etao confirms the
 * login on the BFF's page (nobody in this browser asked for it: docs/security.md, "Login CSRF"),
 * is logged in and sent on to target_url; one who is not comes with only target_url and notify_id
 * and goes straight there; target_url is followed on the shop's own origins only.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const returnUrl = () => `${h.bff.url}/alipay/login/return`

describe('etao returns', () => {
  it('a buyer logged in at etao: confirms, is logged in as 支付宝用户 + name, then on to target_url', async () => {
    const buyer = new Shopper(h.bff.url)
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: returnUrl(),
      targetUrl: `${h.bff.url}/products/tea-longjing`,
      buyerId: '2088102000000002',
    })
    await buyer.browser.open(url)
    expect(buyer.browser.html).toContain('支付宝用户李四')
    const action = /<form method="post" action="([^"]+)"/.exec(buyer.browser.html)?.[1]
    await buyer.browser.submit(action as string)
    expect(buyer.browser.url).toBe(`${h.bff.url}/products/tea-longjing`)
    expect((await buyer.call<any>('/api/session')).body.user).toMatchObject({
      userId: '2088102000000002',
      displayName: '支付宝用户李四',
      via: 'quick_login',
    })
  })

  it('a buyer logged in nowhere: only target_url and notify_id, straight to target_url', async () => {
    const buyer = new Shopper(h.bff.url)
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: returnUrl(),
      targetUrl: `${h.bff.url}/products/cup`,
    })
    expect(new URL(url).searchParams.has('user_id')).toBe(false)
    await buyer.browser.open(url)
    expect(buyer.browser.url).toBe(`${h.bff.url}/products/cup`)
    expect((await buyer.call<any>('/api/session')).body.user).toBeNull()
  })

  it('a target_url elsewhere is not followed: the buyer lands on the shop', async () => {
    const buyer = new Shopper(h.bff.url)
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: returnUrl(),
      targetUrl: 'https://evil.example/phish',
    })
    await buyer.browser.open(url)
    expect(buyer.browser.url).toBe(`${h.bff.url}/`)
  })

  it('a forged or altered login is refused, and never replaces the member of a session', async () => {
    const buyer = new Shopper(h.bff.url)
    const { url } = await h.sandbox.admin.etaoReturn({
      returnUrl: returnUrl(),
      targetUrl: `${h.bff.url}/`,
      buyerId: '2088102000000001',
    })
    const altered = url.replace('user_id=2088102000000001', 'user_id=2088102000000002')
    await buyer.browser.open(altered)
    expect(buyer.browser.url).toContain('alipay_login=failed')
    expect((await buyer.call<any>('/api/session')).body.user).toBeNull()
    // Logged in as one buyer, a signed return for another (obtained by someone else) changes nothing.
    await buyer.logIn('/', '2088102000000003')
    const other = await h.sandbox.admin.etaoReturn({
      returnUrl: returnUrl(),
      targetUrl: `${h.bff.url}/`,
      buyerId: '2088102000000001',
    })
    await buyer.browser.open(other.url)
    expect((await buyer.call<any>('/api/session')).body.user.userId).toBe('2088102000000003')
  })
})
