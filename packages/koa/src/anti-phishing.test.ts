import { type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Anti-phishing (防钓鱼, docs/protocol.md "Anti-phishing") against the simulator in strict mode,
 * over real HTTP: with the kit's option off every payment is refused as Alipay refuses it; with it
 * on each payment and quick login carries a fresh anti_phishing_key and the buyer's IP, which
 * behind a trusted proxy is the address the proxy saw, never one the buyer wrote.
 */

describe.each([
  [false, 'the kit without antiPhishing'],
  [true, 'the kit with antiPhishing'],
] as const)('a contract with anti-phishing on, %s', (antiPhishing, _title) => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ sandbox: { strict: true }, antiPhishing })
  })
  afterAll(() => h.close())

  it(
    antiPhishing ? 'pays, the key and IP signed in' : 'is refused with ILLEGAL_ANTI_PHISHING_KEY',
    async () => {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('instant')
      const fields = created.payment.form.fields
      if (!antiPhishing) {
        expect(fields.anti_phishing_key).toBeUndefined()
        await buyer.browser.open(created.payment.url)
        expect(buyer.browser.status).toBe(400)
        expect(buyer.browser.html).toContain('ILLEGAL_ANTI_PHISHING_KEY')
        return
      }
      expect(fields.anti_phishing_key).toMatch(/^[0-9A-F]{32}$/)
      expect(fields.exter_invoke_ip).toBe('127.0.0.1')
      await buyer.pay(created)
      await buyer.waitFor(created.order.id, (o) => o.paid)
      // Each payment asks for its own key.
      const second = await buyer.order('instant')
      expect(second.payment.form.fields.anti_phishing_key).not.toBe(fields.anti_phishing_key)
    },
  )

  it(antiPhishing ? 'logs in with quick login' : 'cannot log in with quick login', async () => {
    const buyer = new Shopper(h.bff.url)
    await buyer.saveCart([])
    if (!antiPhishing) {
      await buyer.browser.open(`${h.bff.url}/api/login?returnTo=%2F&via=quick_login`)
      expect(buyer.browser.html).toContain('ILLEGAL_ANTI_PHISHING_KEY')
      return
    }
    expect(await buyer.logIn('/')).toBe(`${h.bff.url}/`)
    expect((await buyer.call<any>('/api/session')).body.user).toMatchObject({
      via: 'quick_login',
    })
  })
})

describe('the buyer’s IP behind a proxy', () => {
  it('is the address the proxy added (X-Forwarded-For, last hop), never one the buyer forged', async () => {
    const behind = await startHarness({ antiPhishing: true, trustProxy: true })
    const direct = await startHarness({ antiPhishing: true })
    try {
      const forged = { 'x-forwarded-for': '1.2.3.4, 203.0.113.7' }
      const viaProxy = new Shopper(behind.bff.url)
      await viaProxy.saveCart([])
      const a = await viaProxy.call<any>('/api/orders', {
        method: 'POST',
        headers: forged,
        body: { items: [{ sku: 'cup', quantity: 1 }], service: 'instant' },
      })
      expect(a.body.payment.form.fields.exter_invoke_ip).toBe('203.0.113.7')
      // Not behind a proxy: the header is anyone's to write, so it is not read.
      const exposed = new Shopper(direct.bff.url)
      await exposed.saveCart([])
      const b = await exposed.call<any>('/api/orders', {
        method: 'POST',
        headers: forged,
        body: { items: [{ sku: 'cup', quantity: 1 }], service: 'instant' },
      })
      expect(b.body.payment.form.fields.exter_invoke_ip).toBe('127.0.0.1')
    } finally {
      await behind.close()
      await direct.close()
    }
  })
})
