// What the benchmarks that pay orders by notification share: orders created through the BFF's
// HTTP API, and each one's genuine paid notification (signed-notification.mjs).
import { signedOpenNotification } from './signed-notification.mjs'

/** Creates `count` page-pay orders of `sku` at the BFF, 16 at a time: `{ id, token }` each, in order. */
export async function createOrders(url, count, sku = 'tea') {
  const orders = []
  let next = 0
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) {
        const i = next++
        const response = await fetch(`${url}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
          body: JSON.stringify({ items: [{ sku, quantity: 1 }], service: 'page' }),
        })
        if (response.status !== 201)
          throw new Error(`order: ${response.status} ${await response.text()}`)
        const { order, accessToken } = await response.json()
        orders[i] = { id: order.id, token: accessToken }
      }
    }),
  )
  return orders
}

/**
 * A genuine Open Platform payment notification (1.00 yuan) for one order, signed with "Alipay's"
 * key of `credentials`; `tag` names the benchmark in its notify_id.
 */
export function paidNotification(credentials, orderId, i, tag) {
  return signedOpenNotification(
    {
      app_id: credentials.appId,
      charset: 'utf-8',
      gmt_payment: '2026-11-25 10:00:00',
      notify_id: `${tag}-${orderId}`,
      notify_time: '2026-11-25 10:00:00',
      notify_type: 'trade_status_sync',
      out_trade_no: orderId,
      seller_id: credentials.partner,
      total_amount: '1.00',
      trade_no: `2026112522${String(i).padStart(14, '0')}`,
      trade_status: 'TRADE_SUCCESS',
      version: '1.0',
    },
    credentials.alipayPrivateKey,
  )
}
