import { md5Sign } from '@alipay-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  alipayLoginButton,
  enterMerchantPage,
  fillAddress,
  logInAtAlipay,
  type Shop,
  startShop,
} from './harness.js'

/* What goes wrong: a wrong password, a cancelled payment, a forged notification. */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
})
afterAll(() => shop.close())

describe('bad paths', () => {
  it('a wrong password at Alipay: told so there; the shop stays anonymous', async () => {
    const { page } = await shop.buyer()
    await page.goto(`${shop.url}/products/sample`)
    await page.getByRole('button', { name: '用支付宝登录' }).click()
    await logInAtAlipay(page, '张三', 'wrong-password')
    await page.getByRole('alert').filter({ hasText: '账户名或登录密码不正确' }).waitFor()
    await shop.screenshot(page, '6a-wrong-password')
    await page.goto(`${shop.url}/products/sample`)
    await page.getByRole('button', { name: '用支付宝登录' }).waitFor()
    expect(await page.getByText(/你好，支付宝用户/).count()).toBe(0)
  })

  it('cancel at the cashier: the order stays unpaid, and the buyer can come back to it', async () => {
    const { page } = await shop.buyer()
    await page.goto(`${shop.url}/products/sample`)
    await page.getByRole('button', { name: '立即购买' }).click()
    await page.getByRole('link', { name: '去结算' }).click()
    await fillAddress(page)
    await page.getByRole('button', { name: '支付宝付款' }).click()
    await (await alipayLoginButton(page)).click()
    await page.waitForURL(/\/cashier\//)
    await page.getByRole('button', { name: /取消/ }).click()
    await page.getByText('你取消了订单').waitFor()
    await page.goto(`${shop.url}/orders`)
    const row = page.locator('tr[data-order]').first()
    await row.locator('.phase[data-phase="waiting"]').waitFor()
    const id = (await row.getAttribute('data-order')) as string
    await row.getByRole('link').click()
    await page.locator('.result-phase', { hasText: '等待付款' }).waitFor()
    expect((await shop.merchant.order(id)).order).toMatchObject({ phase: 'waiting', paid: false })
    expect(shop.hooks.filter((h) => h.orderId === id)).toEqual([])
    await shop.screenshot(page, '6b-cancelled-waiting')
  })

  it('a tampered notification: refused, in the merchant’s log with its reason, the order unchanged', async () => {
    const { page } = await shop.buyer()
    await page.goto(`${shop.url}/products/sample`)
    await page.getByRole('button', { name: '立即购买' }).click()
    await page.getByRole('link', { name: '去结算' }).click()
    await fillAddress(page)
    await page.getByRole('button', { name: '支付宝付款' }).click()
    await (await alipayLoginButton(page)).waitFor() // the trade exists at Alipay now
    const [order] = await shop.merchant.orders(1)
    const id = order?.id as string

    // "Paid", signed with a key that is not the shop's: an attacker's notification.
    const fields = {
      notify_id: 'forged-1',
      out_trade_no: id,
      trade_status: 'TRADE_SUCCESS',
      total_fee: '0.01',
      seller_id: shop.sandbox.credentials.partner,
    }
    const body = new URLSearchParams({
      ...fields,
      sign: md5Sign(fields, 'x'.repeat(32), 'utf-8'),
      sign_type: 'MD5',
    })
    const answer = await fetch(`${shop.url}/alipay/notify/legacy`, { method: 'POST', body })
    expect([answer.status, await answer.text()]).toEqual([400, 'fail'])

    await enterMerchantPage(page, shop)
    await page.getByLabel('只看被拒绝的').check()
    const rejected = page.locator('tr[data-outcome="rejected"]', { hasText: id })
    await rejected.waitFor()
    expect(await rejected.textContent()).toContain('BAD_SIGNATURE')
    await page.locator(`tr[data-order="${id}"] .phase[data-phase="waiting"]`).waitFor()
    expect(shop.hooks.filter((h) => h.orderId === id)).toEqual([])
    await shop.screenshot(page, '6c-tampered-notification-log')
  })
})
