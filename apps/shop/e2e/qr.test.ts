import { createTestDatabase } from '@alipay-kit/testing'
import jsQRModule from 'jsqr'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillAddress, logInAtAlipay, payAtCashier, type Shop, startShop } from './harness.js'

/*
 * Pay by scanning (the qr service) in Chromium: the desktop page shows the code, read back from a
 * screenshot as a phone's camera would; a phone-sized second browser opens it ("scans"), logs in
 * and pays at the simulator; the desktop page turns paid live. An expired code is replaced by a
 * new one for the same order. The kit runs on the simulator's test clock and the desktop
 * browser's clock is moved with it.
 */

// jsqr is CommonJS typed as an ES module: Node hands over the function, TypeScript `default`.
const jsQR = (
  typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default
) as typeof jsQRModule.default

const pg = await createTestDatabase()
afterAll(() => pg?.drop())
const stores: Array<[string, Record<string, string>]> = [['PGlite', {}]]
if (pg) stores.push(['PostgreSQL', { DATABASE_URL: pg.url }])

/** Decodes the QR code in a screenshot of `target` (pixels read back through a canvas). */
async function scanScreen(page: Page, target: Locator): Promise<string | undefined> {
  const png = (await target.screenshot()).toString('base64')
  const image = await page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const context = canvas.getContext('2d') as CanvasRenderingContext2D
    context.drawImage(img, 0, 0)
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height)
    return { width: canvas.width, height: canvas.height, data: Array.from(data) }
  }, png)
  return jsQR(Uint8ClampedArray.from(image.data), image.width, image.height)?.data
}

describe.each(stores)('pay by scanning, the BFF on %s', (_name, storeEnv) => {
  let shop: Shop
  beforeAll(async () => {
    shop = await startShop({
      clock: 'sandbox',
      env: {
        ALIPAY_SERVICES: 'instant,escrow,page,qr',
        PAYMENT_EXPIRY_MINUTES: '180',
        ...storeEnv,
      },
    })
  })
  afterAll(() => shop.close())

  it('the desktop shows a real code; a phone scans and pays it; the desktop turns paid live; an expired code is renewed', async () => {
    const { page } = await shop.buyer()
    await page.clock.install({ time: shop.sandbox.simulator.now() })
    await page.goto(`${shop.url}/products/longjing-250g?service=qr`)
    await page.getByRole('button', { name: '立即购买' }).click()
    await page.getByRole('link', { name: '去结算' }).click()
    await fillAddress(page)
    await page.getByRole('button', { name: '扫码付款' }).click()
    await page.waitForURL(/\/orders\/\w+\/scan$/)
    const id = /\/orders\/(\w+)\/scan/.exec(page.url())?.[1] as string
    const code = page.getByRole('img', { name: /^支付宝付款二维码，金额 ¥168\.00/ })
    await code.waitFor()
    const first = await scanScreen(page, code)
    expect(first).toMatch(new RegExp(`^${shop.sandbox.url}/qr/\\w+$`))
    expect(
      await page.getByText(/^二维码 \d+:\d\d:\d\d 后失效$|^二维码 \d+:\d\d 后失效$/).count(),
    ).toBe(1)
    await shop.screenshot(page, `8a-qr-desktop-${_name}`)

    // Two hours on (the code's longest life; the order is payable for three): a new code comes.
    await page.evaluate(() => {
      ;(window as unknown as { notReloaded: boolean }).notReloaded = true
    })
    await shop.sandbox.admin.advanceClock(121 * 60_000)
    await page.clock.fastForward(121 * 60_000)
    await expect.poll(() => scanScreen(page, code), { timeout: 10_000 }).not.toBe(first)
    const second = (await scanScreen(page, code)) as string
    expect(second).toMatch(new RegExp(`^${shop.sandbox.url}/qr/\\w+$`))

    // The phone: the old code has expired; the new one leads to Alipay's login, then the cashier.
    const phone = await shop.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    })
    try {
      const mobile = await phone.newPage()
      await mobile.goto(first as string)
      await mobile.getByText('二维码已过期或不存在').waitFor()
      await mobile.goto(second)
      await logInAtAlipay(mobile, '李四')
      await payAtCashier(mobile)
      await shop.screenshot(mobile, `8b-qr-phone-paid-${_name}`)
    } finally {
      await phone.close()
    }

    // The desktop page hears it, without a reload: paid, and the code gone.
    await page.getByRole('status').filter({ hasText: '付款成功' }).waitFor()
    expect(await code.count()).toBe(0)
    expect(
      await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true)
    expect(shop.hooks.filter((h) => h.orderId === id).map((h) => h.event)).toEqual(['paid'])
    const { order } = await shop.merchant.order(id)
    expect(order).toMatchObject({ service: 'qr', phase: 'paid', amount: '168.00' })
    await shop.screenshot(page, `8c-qr-desktop-paid-${_name}`)
  })
})
