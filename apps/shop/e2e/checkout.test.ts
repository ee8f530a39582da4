import { afterAll, beforeAll, expect, it } from 'vitest'
import { fillAddress, type Shop, startShop } from './harness.js'

/*
 * The checkout says why its pay button is disabled (a disabled button gets no clicks), marks the
 * missing address fields once the buyer has started on them, and asks an address for shipped
 * goods whatever the service; virtual goods and donations need none.
 */

let shop: Shop
beforeAll(async () => {
  shop = await startShop()
})
afterAll(() => shop.close())

async function checkout(service: string) {
  const { page } = await shop.buyer()
  await page.goto(`${shop.url}/products/longjing-250g?service=${service}`)
  await page.getByRole('button', { name: '立即购买' }).click()
  await page.getByRole('link', { name: '去结算' }).click()
  await page.waitForURL(`${shop.url}/checkout`)
  return page
}

it('escrow with no address: the reason is beside the disabled button, naming what is missing; typing marks the rest', async () => {
  const page = await checkout('escrow')
  const pay = page.getByRole('button', { name: '支付宝付款' })
  await expect.poll(() => pay.isDisabled()).toBe(true)
  const reason = '请先填好收货地址：还缺收货人、手机号码、省份、城市、区县、详细地址'
  await expect.poll(() => page.getByText(reason).isVisible()).toBe(true)
  await expect.poll(() => pay.getAttribute('aria-describedby')).toBeTruthy()
  expect(
    await page.evaluate(
      (id) => document.getElementById(id as string)?.textContent,
      await pay.getAttribute('aria-describedby'),
    ),
  ).toBe(reason)
  // Nothing marked on a form not started; once the buyer starts, every missing field is.
  expect(await page.getByText('请填写手机号码').count()).toBe(0)
  await page.getByLabel('收货人').fill('李四')
  await expect.poll(() => page.getByText('请填写手机号码').isVisible()).toBe(true)
  await expect
    .poll(() =>
      page.getByText('请先填好收货地址：还缺手机号码、省份、城市、区县、详细地址').isVisible(),
    )
    .toBe(true)
  await fillAddress(page)
  await expect.poll(() => pay.isEnabled()).toBe(true)
  expect(await page.getByText(/请先填好收货地址/).count()).toBe(0)
  await shop.screenshot(page, '7a-checkout-address-complete')
})

it('instant pay of shipped goods asks for the address too', async () => {
  const page = await checkout('instant')
  await expect.poll(() => page.getByLabel('收货人').isVisible()).toBe(true)
  const pay = page.getByRole('button', { name: '支付宝付款' })
  await expect.poll(() => pay.isDisabled()).toBe(true)
  await expect.poll(() => page.getByText(/^请先填好收货地址：还缺收货人/).isVisible()).toBe(true)
  await fillAddress(page)
  await expect.poll(() => pay.isEnabled()).toBe(true)
})

it('a donation needs no address: the button is enabled and says nothing', async () => {
  const page = await checkout('donation')
  await expect.poll(() => page.getByText('虚拟物品与捐赠无需收货地址。').isVisible()).toBe(true)
  expect(await page.getByLabel('收货人').count()).toBe(0)
  await expect.poll(() => page.getByRole('button', { name: '支付宝付款' }).isEnabled()).toBe(true)
  expect(await page.getByText(/请先填好收货地址/).count()).toBe(0)
})

it('in English the products, the cart and the checkout speak English; the service labels too', async () => {
  const { page } = await shop.buyer()
  await page.goto(`${shop.url}/products/longjing-250g?lang=en&service=donation`)
  await expect
    .poll(() => page.getByRole('heading', { name: 'West Lake Longjing 250 g' }).isVisible())
    .toBe(true)
  expect(await page.getByText('Picked before Qingming, a clean, nutty fragrance').count()).toBe(1)
  await page.getByRole('button', { name: 'Buy now' }).click()
  await page.getByRole('link', { name: 'Check out' }).click()
  await expect.poll(() => page.getByText('West Lake Longjing 250 g × 1').isVisible()).toBe(true)
  await expect.poll(() => page.getByText(/· Donation/).isVisible()).toBe(true)
  expect(await page.getByText('西湖龙井').count()).toBe(0)
})

it('in English the address picker names the regions in English and finds them by English names', async () => {
  const { page } = await shop.buyer()
  await page.goto(`${shop.url}/products/longjing-250g?lang=en&service=page`)
  await page.getByRole('button', { name: 'Buy now' }).click()
  await page.getByRole('link', { name: 'Check out' }).click()
  const province = page.getByLabel('Province')
  await expect.poll(() => province.locator('option', { hasText: 'Zhejiang' }).count()).toBe(1)
  await province.selectOption('33')
  expect(await page.getByLabel('City').locator('option', { hasText: 'Hangzhou' }).count()).toBe(1)
  await page.getByRole('searchbox', { name: 'Find a region' }).fill('xihu')
  await page.getByRole('button', { name: 'Zhejiang / Hangzhou / Xihu District' }).click()
  expect(await page.getByLabel('District').locator('option:checked').textContent()).toBe(
    'Xihu District',
  )
  expect(await page.getByText('浙江省').count()).toBe(0)
})
