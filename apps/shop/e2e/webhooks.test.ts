import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from '@alipay-kit/client'
import { SAMPLE_ADDRESS } from '@alipay-kit/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { enterMerchantPage, type Shop, startShop } from './harness.js'

/* The merchant page lists webhook deliveries and resends one, to a receiver that verifies them. */

const SECRET = 'e2e-webhook-secret-0123456789'
let shop: Shop
let receiver: Server
const received: string[] = []

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const event = await verifyWebhook(
      Buffer.concat(chunks),
      request.headers['alipay-kit-signature'] as string,
      SECRET,
    )
    received.push(`${event.type} ${event.id}`)
    response.end('ok')
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const port = (receiver.address() as AddressInfo).port
  shop = await startShop({
    env: { WEBHOOK_URL: `http://127.0.0.1:${port}/hooks`, WEBHOOK_SECRET: SECRET },
  })
})
afterAll(async () => {
  await shop.close()
  receiver.close()
})

it('a paid order’s webhook shows as delivered, and resending it delivers the same event again', async () => {
  const created = (await (
    await fetch(`${shop.url}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
      body: JSON.stringify({
        items: [{ sku: 'teacup', quantity: 1 }],
        service: 'page',
        address: SAMPLE_ADDRESS,
      }),
    })
  ).json()) as { order: { id: string }; payment: { url: string } }
  await fetch(created.payment.url, { redirect: 'manual' })
  await shop.sandbox.admin.pay(created.order.id)
  await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1)

  const { page } = await shop.buyer()
  await enterMerchantPage(page, shop)
  const section = page.getByRole('region', { name: 'Webhook 推送' })
  const row = section.locator('tr[data-state="delivered"]', { hasText: created.order.id })
  await row.getByText('order.paid').waitFor()
  await row.getByText('已送达').waitFor()
  await row.getByRole('button', { name: '重发' }).click()
  await expect.poll(() => received.length, { timeout: 10_000 }).toBe(2)
  expect(received[1]).toBe(received[0])
  await shop.screenshot(page, '7-webhooks')
})
