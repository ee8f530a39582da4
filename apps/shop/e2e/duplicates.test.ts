import { afterAll, beforeAll, expect, it } from 'vitest'
import { alipayLoginButton, orderIdOf, payAtCashier, type Shop, startShop } from './harness.js'

/*
 * The simulator delivers every notification three times, newest first: one paid transition, one
 * onPaid, and the furthest state at the end.
 */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
  await shop.sandbox.admin.setFaults({ duplicates: 3, reorder: true })
})
afterAll(() => shop.close())

it('three copies of every notification, out of order: once each, ending finished', async () => {
  const { page } = await shop.buyer()
  await page.goto(`${shop.url}/products/longjing-250g?service=escrow`)
  await page.getByRole('button', { name: '立即购买' }).click()
  await page.getByRole('link', { name: '去结算' }).click()

  // A guest types the address, finding the district by name.
  await page.getByLabel('收货人').fill('王芳')
  await page.getByLabel('手机号码').fill('13700000003')
  await page.getByRole('searchbox', { name: '搜索地区' }).fill('马尔康')
  await page.getByRole('button', { name: '四川省 / 阿坝藏族羌族自治州 / 马尔康市' }).click()
  await page.getByLabel('详细地址').fill('达萨街3号')
  await page.getByRole('button', { name: '支付宝付款' }).click()
  await (await alipayLoginButton(page)).click()
  await payAtCashier(page)
  await page.getByRole('link', { name: /返回商户/ }).click()
  await page.waitForURL(/\/orders\//)
  const id = orderIdOf(page)

  // Alipay's side goes on (the seller ships, the buyer confirms) while every notification is held…
  await shop.sandbox.admin.act(id, 'ship')
  await shop.sandbox.admin.act(id, 'confirm')
  // …then all of them arrive, three copies each, newest first.
  const { released } = await shop.sandbox.admin.release(id)
  expect(released).toBe(12) // created, paid, shipped, finished × 3
  await page.locator('.result-phase', { hasText: '交易完成' }).waitFor()
  await expect
    .poll(async () =>
      (await shop.sandbox.admin.trade(id)).deliveries.every((d) => d.state === 'delivered'),
    )
    .toBe(true)

  const deliveries = (await shop.sandbox.admin.trade(id)).deliveries
  expect(deliveries.map((d) => d.attempts[0]?.answer)).toEqual(Array(12).fill('success'))
  expect(shop.hooks.filter((h) => h.orderId === id).map((h) => h.event)).toEqual([
    'paid',
    'shipped',
    'finished',
  ])
  const view = await shop.merchant.order(id)
  expect(view.events.map((e) => e.event).filter((e) => e === 'paid')).toHaveLength(1)
  expect(view.order).toMatchObject({
    phase: 'finished',
    address: { district: { name: '马尔康市', code: '513201' } },
  })
  const outcomes = view.notifications.filter((n) => n.channel === 'notify').map((n) => n.outcome)
  expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1) // the newest, TRADE_FINISHED, carried it all
  expect(outcomes).toHaveLength(12)
  await shop.screenshot(page, '4-duplicates-finished')
})
