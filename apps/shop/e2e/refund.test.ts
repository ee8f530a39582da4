import { afterAll, beforeAll, it } from 'vitest'
import { logInAtAlipay, orderIdOf, payAtCashier, type Shop, startShop } from './harness.js'

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
  await page.getByRole('button', { name: '支付宝付款' }).click()
  await payAtCashier(page)
  await page.getByRole('link', { name: /返回商户/ }).click()
  await page.waitForURL(/\/orders\//)
  const id = orderIdOf(page)
  await page.locator('.result-phase', { hasText: '付款成功' }).waitFor()

  const merchantPage = await context.newPage()
  await merchantPage.goto(`${shop.url}/merchant`)
  await merchantPage.getByLabel(/商户 API 密钥/).fill(shop.bff.merchantApiSecret)
  await merchantPage.getByRole('button', { name: '进入' }).click()
  await merchantPage.locator(`tr[data-order="${id}"]`).getByRole('button', { name: '退款' }).click()
  await merchantPage.locator(`tr[data-order="${id}"] .phase[data-phase="refunded"]`).waitFor()

  await page.goto(`${shop.url}/orders`)
  await page.locator(`tr[data-order="${id}"] .phase[data-phase="refunded"]`).waitFor()
  await page.getByText('退款成功').first().waitFor()
  await shop.screenshot(page, '5-refund-in-order-list')
})
