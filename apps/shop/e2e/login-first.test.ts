import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  backToShopPaid,
  fillAddress,
  logInAtAlipay,
  payAtCashier,
  type Shop,
  startShop,
} from './harness.js'

/*
 * docs/protocol.md, "Quick login", flow one: log in first (from a product page, back on that page), then buy. The
 * result page shows paid because the notification arrived, not because of the return.
 */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
})
afterAll(() => shop.close())

it('logs in on a product page, lands back on it, buys, pays, and sees paid', async () => {
  const { page } = await shop.buyer()
  await page.goto(`${shop.url}/products/longjing-250g`)
  await page.getByRole('button', { name: '用支付宝登录' }).click()
  await logInAtAlipay(page, '李四')

  // Straight back to the product page, no "login succeeded" page; greeted as Alipay wants (docs/protocol.md, "Quick login").
  await page.waitForURL(`${shop.url}/products/longjing-250g`)
  await expect.poll(() => page.getByText('你好，支付宝用户李四').isVisible()).toBe(true)

  await page.getByRole('button', { name: '立即购买' }).click()
  await page.getByRole('link', { name: '去结算' }).click()
  await page.waitForURL(`${shop.url}/checkout`)
  // After an Alipay login, Alipay is the only online payment method on offer.
  await expect
    .poll(() => page.getByText('你已用支付宝登录：本店只提供支付宝付款。').isVisible())
    .toBe(true)
  await expect(page.getByLabel(/网上银行/).count()).resolves.toBe(0)
  await fillAddress(page) // tea is shipped: an address whatever the service
  await page.getByRole('button', { name: '支付宝付款' }).click()

  // The token skips Alipay's login: straight to the cashier.
  await payAtCashier(page)
  const id = await backToShopPaid(page)

  const { notifications } = await shop.merchant.order(id)
  const channels = notifications.map((n) => `${n.channel}:${n.outcome}`)
  expect(channels).toContain('notify:applied')
  expect(channels).toContain('return:verified') // seen, but it changed nothing
  expect(channels.filter((c) => c === 'notify:applied' || c === 'query:applied')).toEqual([
    'notify:applied',
  ])
  expect(shop.hooks.filter((h) => h.orderId === id).map((h) => h.event)).toEqual(['paid'])
  await shop.screenshot(page, '1-login-first-paid')
})
