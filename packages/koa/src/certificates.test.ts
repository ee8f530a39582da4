import { type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The kit configured with certificates (公钥证书: the app's, Alipay's and Alipay's root bundle)
 * against the simulator in certificate mode, over real HTTP: every request names the serial
 * numbers, every answer and notification is verified with the key of Alipay's certificate
 * (docs/protocol.md, "Certificate mode").
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness({ sandbox: { certificates: true } })
})
afterAll(() => h.close())

describe('certificate mode, end to end', () => {
  it('pays, queries and refunds on the Open Platform; OAuth login works', async () => {
    const sns = h.sandbox.simulator.certificateSns
    expect(sns?.appCertSn).toMatch(/^[0-9a-f]{32}$/)
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'tea-longjing', quantity: 1 }])
    expect(created.payment.form.fields).toMatchObject({
      app_cert_sn: sns?.appCertSn,
      alipay_root_cert_sn: sns?.alipayRootCertSn,
    })
    await buyer.pay(created)
    const id = created.order.id
    await buyer.waitFor(id, (o) => o.paid)
    // The answer names Alipay's certificate (alipay_cert_sn); the kit checks it is the configured one.
    expect((await h.merchant(`/orders/${id}/query`, {})).status).toBe(200)
    expect((await h.merchant(`/orders/${id}/refund`, { amount: '28.00' })).status).toBe(200)
    await buyer.waitFor(id, (o) => o.refunded === '28.00')
    expect(h.hooksOf(id)).toEqual(['onPaid', 'onRefunded'])

    const member = new Shopper(h.bff.url)
    expect(await member.logIn('/', '2088102000000002', 'oauth')).toBe(`${h.bff.url}/`)
    expect((await member.call<any>('/api/session')).body.user).toMatchObject({ via: 'oauth' })
  })
})
