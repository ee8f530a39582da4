import { afterAll, beforeAll, expect, it } from 'vitest'
import { alipayLoginButton, fillAddress, payAtCashier, type Shop, startShop } from './harness.js'

/* docs/protocol.md, "Notifications": the buyer closes Alipay's page after paying; the notification still fulfils. */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
  await shop.sandbox.admin.setFaults({ dropReturn: true }) // no return redirect: the page is closed
})
afterAll(() => shop.close())

it('paid, tab closed before any return: the order is paid, and the result page opened later shows it', async () => {
  const { context, page } = await shop.buyer()
  await page.goto(`${shop.url}/products/teacup`)
  await page.getByRole('button', { name: '立即购买' }).click()
  await page.getByRole('link', { name: '去结算' }).click()
  await fillAddress(page)
  await page.getByRole('button', { name: '支付宝付款' }).click()
  await (await alipayLoginButton(page)).click() // Alipay's login (a guest buyer)
  await payAtCashier(page)
  await expect.poll(() => page.getByText('你可以关闭此页面').isVisible()).toBe(true)
  await page.close()

  const later = await context.newPage()
  await later.goto(`${shop.url}/orders`)
  const row = later.locator('tr[data-order]').first()
  await row.locator('.phase[data-phase="paid"]').waitFor()
  await row.getByRole('link').click()
  await later.locator('.result-phase', { hasText: '付款成功' }).waitFor()
  const id = /\/orders\/(\w+)/.exec(later.url())?.[1] as string
  const { notifications } = await shop.merchant.order(id)
  expect(notifications.map((n) => n.channel)).not.toContain('return')
  expect(shop.hooks.filter((h) => h.orderId === id).map((h) => h.event)).toEqual(['paid'])
  await shop.screenshot(later, '3-closed-tab-paid')
})
