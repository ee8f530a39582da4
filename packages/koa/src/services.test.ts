import { PAY_SERVICE_NAMES, PAY_SERVICES, type PayService } from '@alipay-kit/client'
import {
  type Harness,
  SAMPLE_ADDRESS,
  Shopper,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from './store/types.js'

const { stores } = await storesUnderTest()

/*
 * Every service of the registry (PAY_SERVICES) through the BFF against the simulator over real
 * HTTP: the payment starts the way the registry says, under Alipay's name, and the simulator
 * opens the trade. ARCHITECTURE.md, "Add a payment service", ends here.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness({ services: PAY_SERVICE_NAMES })
})
afterAll(() => h.close())

describe('every payment service of the registry', () => {
  it.each(PAY_SERVICE_NAMES.map((name) => [name] as [PayService]))(
    '%s starts its payment as the registry says, at the simulator, under Alipay’s name',
    async (service) => {
      const spec = PAY_SERVICES[service]
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order(
        service,
        undefined,
        spec.shipping === 'never' ? undefined : SAMPLE_ADDRESS,
      )
      expect(created.order.gateway).toBe(spec.gateway)
      expect(created.payment.kind).toBe(spec.start)
      if (created.payment.kind === 'cashier') {
        const fields = created.payment.form.fields
        expect(spec.gateway === 'legacy' ? fields.service : fields.method).toBe(spec.alipay)
        if (spec.productCode)
          expect(JSON.parse(fields.biz_content ?? '{}').product_code).toBe(spec.productCode)
        await buyer.browser.open(created.payment.url)
      } else {
        // The QR code's content is a simulator URL: opening it is scanning the code.
        expect(created.payment.qrCode.startsWith(`${h.sandbox.url}/qr/`)).toBe(true)
        expect(Date.parse(created.payment.expiresAt)).toBeGreaterThan(Date.now())
      }
      const { trade } = await h.sandbox.admin.trade(created.order.id)
      expect(trade).toMatchObject({ service: spec.alipay, tradeStatus: 'WAIT_BUYER_PAY' })
    },
  )

  it('qr: scanning the code leads to the cashier; paying there is notified, the order paid once', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('qr')
    if (created.payment.kind !== 'qr') throw new Error('a qr order answers a QR code')
    await buyer.browser.open(created.payment.qrCode)
    expect(buyer.browser.html).toContain('登录支付宝')
    await buyer.browser.logIn()
    expect(buyer.browser.url).toContain('/cashier/')
    await buyer.browser.pay()
    const order = await buyer.waitFor(created.order.id, (o) => o.paid)
    expect(order).toMatchObject({ phase: 'paid', final: true, service: 'qr', gateway: 'open' })
    expect(h.hookLog.filter((c) => c.orderId === created.order.id).map((c) => c.hook)).toEqual([
      'onPaid',
    ])
  })
})

describe('services the shop does not offer', () => {
  it('qr is not offered unless the kit lists it: 400 SERVICE_UNAVAILABLE, nothing stored', async () => {
    const other = await startHarness()
    try {
      const buyer = new Shopper(other.bff.url)
      await buyer.saveCart([])
      const { status, body } = await buyer.call('/api/orders', {
        method: 'POST',
        body: { items: [{ sku: 'cup', quantity: 1 }], service: 'qr' },
      })
      expect([status, body.error.code, body.error.field]).toEqual([
        400,
        'SERVICE_UNAVAILABLE',
        'service',
      ])
      expect(await other.store.query('select id from akit_orders')).toEqual([])
      expect((await buyer.call('/api/session')).body.services).not.toContain('qr')
    } finally {
      await other.close()
    }
  })
})

/** A new QR code for the same unpaid order: the same trade at Alipay, paid once, none once paid. */
async function refreshesTheSameTrade(h: Harness) {
  const buyer = new Shopper(h.bff.url)
  const created = await buyer.order('qr')
  if (created.payment.kind !== 'qr') throw new Error('a qr order answers a QR code')
  const id = created.order.id
  const refresh = () => buyer.call(`/api/orders/${id}/qr`, { method: 'POST', body: {} })
  const fresh = await refresh()
  expect(fresh.status, JSON.stringify(fresh.body)).toBe(200)
  expect(fresh.body.kind).toBe('qr')
  expect(fresh.body.qrCode).not.toBe(created.payment.qrCode)
  expect(Date.parse(fresh.body.expiresAt)).toBeGreaterThanOrEqual(
    Date.parse(created.payment.expiresAt),
  )
  // One trade, both codes leading to it.
  const trades = [...h.sandbox.simulator.trades.values()].filter((t) => t.outTradeNo === id)
  expect(trades).toHaveLength(1)
  // Another browser may not refresh it.
  const stranger = new Shopper(h.bff.url)
  await stranger.call('/api/session')
  expect((await stranger.call(`/api/orders/${id}/qr`, { method: 'POST', body: {} })).status).toBe(
    404,
  )
  await buyer.browser.open(fresh.body.qrCode)
  await buyer.browser.logIn()
  await buyer.browser.pay()
  await buyer.waitFor(id, (o) => o.paid)
  const after = await refresh()
  expect([after.status, after.body.error.code]).toEqual([409, 'CONFLICT'])
  expect(after.body.error.message).toContain('paid')
  expect(h.hookLog.filter((c) => c.orderId === id).map((c) => c.hook)).toEqual(['onPaid'])
  // A cashier order has no code to refresh.
  const page = await buyer.order('page')
  const refused = await buyer.call(`/api/orders/${page.order.id}/qr`, {
    method: 'POST',
    body: {},
  })
  expect([refused.status, refused.body.error.code]).toEqual([409, 'CONFLICT'])
}

describe.each(stores)('a qr order’s code refreshed, on %s', (_name, open) => {
  let qh: Harness
  let store: Store
  beforeAll(async () => {
    store = await open()
    qh = await startHarness({ store, services: PAY_SERVICE_NAMES })
  })
  afterAll(async () => {
    await qh.close()
    await store.close()
  })
  it('is the same trade at Alipay; the new code pays it once; none once paid; a stranger refused', () =>
    refreshesTheSameTrade(qh))
})
