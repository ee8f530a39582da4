import type { QrStart } from '@alipay-kit/client'
import { AlipayInputError } from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { expiresAtOf, tradeFacts } from './trade-facts.js'
import { type OrderRow, toOrderView } from './view.js'

/**
 * A new QR code for an unpaid `qr` order whose code expired (docs/protocol.md, "QR code"): the
 * same precreate again for the same out_trade_no, so Alipay keeps one trade and the buyer can
 * never pay twice; the new code lives its own qr_code_timeout_express, never past the order's
 * expiry. Refused (409) for an order that is paid, closed or out of time, and for other services.
 */
export async function refreshQrCode(
  kit: KitContext,
  order: OrderRow,
  buyerIp: string,
): Promise<QrStart> {
  if (order.service !== 'qr')
    throw new ApiError(
      409,
      'CONFLICT',
      `Order ${order.id} is paid through ${order.service}, not a QR code: it has no code to refresh`,
    )
  const view = toOrderView(order)
  if (view.phase !== 'waiting')
    throw new ApiError(
      409,
      'CONFLICT',
      `Order ${order.id} is ${view.phase}: its QR code is not needed any more`,
    )
  const now = kit.config.clock()
  if (expiresAtOf(order).getTime() <= now)
    throw new ApiError(
      409,
      'CONFLICT',
      `Order ${order.id} was payable until ${expiresAtOf(order).toISOString()}: place a new order`,
    )
  try {
    const start = await gatewayFor(kit, 'open').startPayment(
      { ...tradeFacts(order), startsAt: new Date(now) },
      kit.callbacks('open'),
      { token: undefined, ip: buyerIp },
    )
    return start as QrStart
  } catch (error) {
    if (error instanceof AlipayInputError)
      throw new ApiError(400, 'INVALID_INPUT', error.message, error.field)
    throw error
  }
}
