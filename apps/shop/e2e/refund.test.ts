import { afterAll, beforeAll, it } from 'vitest'
import {
  backToShopPaid,
  enterMerchantPage,
  fillAddress,
  logInAtAlipay,
  payAtCashier,
  type Shop,
  startShop,
} from './harness.js'

/* A refund from the merchant page reaches the buyer's order list as "退款成功". */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
})
afterAll(() => shop.close())

it('the merchant refunds; the buyer’s order list shows the refund', async () => {
  const { context, page } = await shop.buyer()
  await page.goto(`${shop.url}/products/tieguanyin-100g`)
  await page.getByRole('button', { name: '用支付宝登录' }).click()
  await logInAtAlipay(page, '王芳')
  await page.getByRole('button', { name: '立即购买' }).click()
  await page.getByRole('link', { name: '去结算' }).click()
  await fillAddress(page)
  await page.getByRole('button', { name: '支付宝付款' }).click()
  await payAtCashier(page)
  const id = await backToShopPaid(page)

  const merchantPage = await context.newPage()
  await enterMerchantPage(merchantPage, shop)
  await merchantPage.locator(`tr[data-order="${id}"]`).getByRole('button', { name: '退款' }).click()
  await merchantPage.locator(`tr[data-order="${id}"] .phase[data-phase="refunded"]`).waitFor()

  await page.goto(`${shop.url}/orders`)
  await page.locator(`tr[data-order="${id}"] .phase[data-phase="refunded"]`).waitFor()
  await page.getByText('退款成功').first().waitFor()
  await shop.screenshot(page, '5-refund-in-order-list')
})
