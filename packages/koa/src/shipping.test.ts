import { type Harness, openTestStore, SAMPLE_ADDRESS, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from './store/types.js'

/*
 * Goods that ship need a delivery address whatever the service (src/orders/create.ts): the
 * catalog marks them (`ships: true`); virtual goods and services that never ship need none.
 */

describe('a delivery address for goods that ship', () => {
  let h: Harness
  let store: Store
  beforeAll(async () => {
    store = await openTestStore()
    h = await startHarness({ store })
  })
  afterAll(async () => {
    await h.close()
    await store.close()
  })
  const place = (service: string, sku: string, address?: unknown) =>
    fetch(`${h.bff.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
      body: JSON.stringify({
        items: [{ sku, quantity: 1 }],
        service,
        ...(address ? { address } : {}),
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))
  const stored = async () =>
    (await store.query<{ n: number }>('select count(*)::int as n from akit_orders'))[0]?.n

  it('is required for instant, page and wap alike; the refusal names the field and stores nothing', async () => {
    const before = await stored()
    for (const service of ['instant', 'page', 'wap']) {
      const refused = await place(service, 'teapot')
      expect(refused.status, service).toBe(400)
      expect(refused.body.error).toMatchObject({ code: 'ADDRESS_REQUIRED', field: 'address' })
      expect(refused.body.error.message).toContain('紫砂壶')
      expect(refused.body.error['zh-CN'].cause).toBe('这些商品需要发货，缺少收货地址')
    }
    expect(await stored()).toBe(before)
    expect((await place('instant', 'teapot', SAMPLE_ADDRESS)).status).toBe(201)
  })

  it('is not asked of virtual goods, nor by services that never ship', async () => {
    expect((await place('page', 'cup')).status).toBe(201)
    expect((await place('digital', 'teapot')).status).toBe(201)
    expect((await place('donation', 'teapot')).status).toBe(201)
  })
})
