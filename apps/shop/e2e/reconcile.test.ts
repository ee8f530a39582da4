import { afterAll, beforeAll, expect, it } from 'vitest'
import { enterMerchantPage, type Shop, startShop } from './harness.js'

/*
 * The merchant page shows the last reconciliation of the daily bill and reconciles a chosen day
 * (koa README, "The daily bill"), against the simulator's bill over real HTTP.
 */

let shop: Shop
beforeAll(async () => {
  shop = await startShop({ clock: 'sandbox' })
})
afterAll(() => shop.close())

it('a payment the shop never created shows as a difference on the merchant page', async () => {
  const now = (await shop.sandbox.admin.clock()).nowMs
  const day = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
  const { trade } = await shop.sandbox.admin.foreignTrade({ amount: '66.00', subject: '门店收款' })
  // The next day: Alipay's bill of `day` exists.
  await shop.sandbox.admin.advanceClock(24 * 3600_000)

  const { page } = await shop.buyer()
  await enterMerchantPage(page, shop)
  const section = page.getByRole('region', { name: '对账' })
  await section.getByText('还没有对过账。').waitFor()
  await section.getByLabel('账单日期').fill(day)
  await section.getByRole('button', { name: '对账' }).click()
  const result = section.locator('[data-status="differences"]')
  await result.waitFor()
  expect(await result.getByRole('heading').textContent()).toBe(`${day} 的账单: 有差异，需要处理`)
  const row = result.locator(`tr[data-kind="missing_here"]`)
  await row.locator('code', { hasText: trade.outTradeNo }).waitFor()
  await row.getByText('支付宝收了款，本店没有这个订单').waitFor()
  await row.getByText('在支付宝核实这笔收款：退款，或补录订单').waitFor()
  await shop.screenshot(page, '6-reconciliation')
  // The same through the merchant API.
  const [last] = await shop.merchant.reconciliations(1)
  expect(last).toMatchObject({ date: day, status: 'differences', differences: 1 })
})
