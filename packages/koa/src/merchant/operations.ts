import type { ShipInput } from '@alipay-kit/client'
import { AlipayGatewayError, parseYuan } from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import type { TradeFacts } from '../gateway/types.js'
import { ApiError } from '../http/errors.js'
import { newRequestNo } from '../http/secrets.js'
import type { OrderRow } from '../orders/view.js'
import { findOrder } from '../repositories/orders.js'
import { refreshFromAlipay } from '../status/active-query.js'

function facts(order: OrderRow): TradeFacts {
  return {
    id: order.id,
    service: order.service,
    subject: order.subject,
    amountFen: Number(order.amount_fen),
    tradeNo: order.trade_no,
    address: order.address,
  }
}

/** Runs a gateway operation, turning Alipay's refusal into its catalog entry (502) or a 503. */
async function atAlipay<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AlipayGatewayError)
      throw new ApiError(
        error.code === 'GATEWAY_UNREACHABLE' ? 503 : 502,
        error.code,
        error.message,
      )
    throw error
  }
}

/** Asks Alipay for the trade's status and applies it like a notification. */
export async function queryOrder(kit: KitContext, order: OrderRow): Promise<OrderRow> {
  return (await atAlipay(() => refreshFromAlipay(kit, order, true))).order
}

/** Closes an unpaid trade at Alipay, then shows what Alipay says. */
export async function closeOrder(kit: KitContext, order: OrderRow): Promise<OrderRow> {
  if (order.state.trade !== 'WAIT_BUYER_PAY')
    throw new ApiError(
      409,
      'CONFLICT',
      `Only an unpaid order can be closed; this one is ${order.state.trade}`,
    )
  await atAlipay(() => gatewayFor(kit, order.gateway).close(facts(order)))
  // Alipay notifies the close; asking now shows it at once.
  return queryOrder(kit, order)
}

/** Refunds all that is left, or `amount` of it, at Alipay; the notification records it. */
export async function refundOrder(
  kit: KitContext,
  order: OrderRow,
  input: { readonly amount?: string | undefined; readonly reason?: string | undefined },
): Promise<OrderRow> {
  if (!order.state.paid)
    throw new ApiError(409, 'CONFLICT', 'The order is not paid: nothing to refund')
  const left = Number(order.amount_fen) - Number(order.refunded_fen)
  let amountFen = left
  try {
    if (input.amount !== undefined) amountFen = parseYuan(input.amount, 'amount')
  } catch (error) {
    throw new ApiError(400, 'INVALID_INPUT', (error as Error).message, 'amount')
  }
  if (amountFen > left)
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `amount: at most ${left} fen is left to refund`,
      'amount',
    )
  await atAlipay(() =>
    gatewayFor(kit, order.gateway).refund(
      facts(order),
      amountFen,
      input.reason ?? 'merchant refund',
      newRequestNo(),
      kit.callbacks(order.gateway).notifyUrl,
    ),
  )
  kit.config.logger.info({ refund: { orderId: order.id, amountFen } }, 'refund requested')
  return (await findOrder(kit.store, order.id)) ?? order
}

/** Ships a paid escrow order through Alipay (send_goods_confirm_by_platform). */
export async function shipOrder(
  kit: KitContext,
  order: OrderRow,
  input: ShipInput,
): Promise<OrderRow> {
  if (order.state.trade !== 'WAIT_SELLER_SEND_GOODS')
    throw new ApiError(
      409,
      'CONFLICT',
      `Only a paid escrow order waiting for goods ships; this one is ${order.state.trade}`,
    )
  await atAlipay(() => gatewayFor(kit, order.gateway).ship(facts(order), input))
  return (await findOrder(kit.store, order.id)) ?? order
}
