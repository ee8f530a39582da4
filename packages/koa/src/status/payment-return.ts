import { createHash } from 'node:crypto'
import type { Gateway } from '@alipay-kit/client'
import type { RawNotification } from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import type { OrderRow } from '../orders/view.js'
import { logReceived } from '../repositories/notifications.js'
import { findOrder, markReturned } from '../repositories/orders.js'

const bytesDigest = (body: Uint8Array) => createHash('sha256').update(body).digest('hex')

/** SHA-256 of a message's fields, sorted by name: the same for every way of writing them. */
function fieldsDigest(params: Readonly<Record<string, string>>): string {
  const fields = Object.keys(params)
    .sort()
    .map((name) => [name, params[name]])
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

/**
 * The buyer's redirect back from the cashier: verified and logged, never applied (only a
 * notification, or the query it starts, changes an order; docs/protocol.md, "Notifications").
 * Marks the order returned, which starts the active-query clock. Undefined when the return is
 * not genuine or names no order of this shop.
 */
export async function receivePaymentReturn(
  kit: KitContext,
  kind: Gateway,
  raw: RawNotification,
): Promise<OrderRow | undefined> {
  const verified = await gatewayFor(kit, kind).verifyReturn(raw)
  const orderId = verified.ok ? verified.params.out_trade_no : undefined
  const order =
    orderId && /^[A-Za-z0-9_-]{1,64}$/.test(orderId)
      ? await findOrder(kit.store, orderId)
      : undefined
  // A return is anyone's GET: an unverified one keeps a digest and a few short fields, and the
  // same URL again within the hour counts on its entry (docs/security.md, "Unauthenticated writes").
  // A verified one is the same return however its URL is written (fields reordered, `&&` added:
  // the signature still holds), so its digest is of its fields, not of its bytes.
  const claimed = verified.ok ? undefined : verified.rejection.params
  await logReceived(
    kit.store,
    {
      gateway: kind,
      channel: 'return',
      verified: verified.ok,
      digest: verified.ok ? fieldsDigest(verified.params) : bytesDigest(raw.body),
      bytes: raw.body.byteLength,
      orderId: verified.ok ? orderId : claimed?.out_trade_no,
      notifyId: verified.ok ? verified.params.notify_id : claimed?.notify_id,
      tradeStatus: verified.ok ? verified.params.trade_status : claimed?.trade_status,
      outcome: verified.ok && order ? 'verified' : 'rejected',
      code: verified.ok ? (order ? undefined : 'UNKNOWN_ORDER') : verified.rejection.code,
      reason: verified.ok ? undefined : verified.rejection.reason,
      params: verified.ok ? verified.params : claimed,
    },
    kit.config.retention.refusedPerMinute,
  )
  if (order) await markReturned(kit.store, order.id)
  return order
}
