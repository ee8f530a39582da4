import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  backToShopPaid,
  enterMerchantPage,
  logInAtAlipay,
  payAtCashier,
  type Shop,
  startShop,
} from './harness.js'

/*
 * docs/protocol.md, "Quick login", flow two: buy first, log in at checkout. The cart survives, the next page is the
 * order form, the Alipay address fills it, escrow is paid, the merchant ships, the buyer confirms
 * receipt at Alipay, and the result page that stayed open reaches "finished" by itself.
 */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
})
afterAll(() => shop.close())

it('buy first, log in at checkout, Alipay address, escrow, shipped, confirmed: finished live', async () => {
  const { context, page } = await shop.buyer()
  await page.goto(`${shop.url}/products/puer-357g?service=escrow`) // the demo's settings by query
  await page.getByRole('button', { name: '加入购物车' }).click()
  await page.getByRole('link', { name: '购物车 (1)' }).click()
  await page.getByRole('spinbutton', { name: /数量/ }).fill('2')
  await page.getByRole('link', { name: '去结算' }).click()

  // At checkout, not logged in: log in with Alipay, and come straight back to this order form.
  await page.locator('.login-box').getByRole('button', { name: '用支付宝登录' }).click()
  await logInAtAlipay(page, '张三')
  await page.waitForURL(`${shop.url}/checkout`)
  await expect.poll(() => page.getByText('你好，支付宝用户张三').isVisible()).toBe(true)
  await expect.poll(() => page.getByText('云南普洱 357g 饼 × 2').isVisible()).toBe(true) // the cart survived
  await expect(page.getByText('合计 ¥198.00').isVisible()).resolves.toBe(true)

  // "使用我在支付宝的联系方式": Alipay's address book (the token skips its login) and back.
  await page.getByRole('button', { name: '使用我在支付宝的联系方式' }).click()
  await page.waitForURL(/\/addresses\//)
  await page.getByRole('radio', { name: /世纪大道100号/ }).check()
  await page.getByRole('button', { name: /确认/ }).click()
  await page.waitForURL(`${shop.url}/checkout?alipay_address=selected`)
  await expect.poll(() => page.getByLabel('收货人').inputValue()).toBe('张三')
  await expect.poll(() => page.getByLabel('区县').inputValue()).toBe('310115') // 浦东新区, matched
  expect(await page.getByLabel('省份').inputValue()).toBe('31')
  expect(await page.getByLabel('手机号码').inputValue()).toBe('13800000001')

  await page.getByRole('button', { name: '支付宝付款' }).click()
  await payAtCashier(page)
  const id = await backToShopPaid(page)
  // Paid into escrow: the page says what comes next, and 我的订单 tells this order apart.
  await page.locator('.next-step', { hasText: '等待卖家发货' }).waitFor()
  const list = await context.newPage()
  await list.goto(`${shop.url}/orders`)
  const row = list.locator(`tr[data-order="${id}"]`)
  await row.locator('.next-step', { hasText: '等待卖家发货' }).waitFor()
  expect(await row.getByRole('link').textContent()).toBe(id)
  const cells = await row.locator('td').allTextContents()
  expect(cells.slice(2, 6)).toEqual([
    '云南普洱 357g 饼 ×2',
    '¥198.00',
    '担保交易',
    '张三 · 上海市浦东新区世纪大道100号',
  ])
  expect(cells[1]).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/)
  await shop.screenshot(list, '2a-orders-escrow-paid')
  // In English the address reads street first, the regions by their English names.
  await list.goto(`${shop.url}/orders?lang=en`)
  await expect
    .poll(() => list.locator(`tr[data-order="${id}"] td`).nth(5).textContent())
    .toBe('张三 · 世纪大道100号, Pudong New Area, Shanghai')
  await list.goto(`${shop.url}/orders?lang=zh-CN`)
  await list.close()

  // The merchant ships from the merchant page (another tab), while the result page stays open.
  const merchantPage = await context.newPage()
  await enterMerchantPage(merchantPage, shop)
  await merchantPage.locator(`tr[data-order="${id}"]`).getByRole('button', { name: '发货' }).click()
  await page.locator('.result-phase', { hasText: '卖家已发货，等待确认收货' }).waitFor()
  await page.locator('.next-step', { hasText: '收到货后，请在支付宝确认收货' }).waitFor()

  // The buyer confirms receipt at Alipay (the simulator's console).
  const { order } = await shop.merchant.order(id)
  const alipayPage = await context.newPage()
  await alipayPage.goto(`${shop.sandbox.url}/console/${order.tradeNo}`)
  await alipayPage.getByRole('button', { name: /买家确认收货/ }).click()
  await alipayPage.getByText('confirm → TRADE_FINISHED').waitFor()

  await page.bringToFront()
  await page.locator('.result-phase', { hasText: '交易完成' }).waitFor()
  expect(shop.hooks.filter((h) => h.orderId === id).map((h) => h.event)).toEqual([
    'paid',
    'shipped',
    'finished',
  ])
  const view = await shop.merchant.order(id)
  expect(view.order).toMatchObject({ phase: 'finished', mode: 'escrow', amount: '198.00' })
  expect(view.order.address).toMatchObject({
    recipient: '张三',
    district: { code: '310115' },
    source: 'alipay',
  })
  await shop.screenshot(page, '2-buy-first-finished')
})
