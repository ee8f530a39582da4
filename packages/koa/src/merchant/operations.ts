import type { ShipInput } from '@alipay-kit/client'
import { AlipayGatewayError, parseYuan } from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { type IdempotencyKey, requestNoFromKey } from '../http/idempotency.js'
import { newRequestNo } from '../http/secrets.js'
import { tradeFacts } from '../orders/trade-facts.js'
import type { OrderRow } from '../orders/view.js'
import { findOrder } from '../repositories/orders.js'
import { refreshFromAlipay } from '../status/active-query.js'

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
  await atAlipay(() => gatewayFor(kit, order.gateway).close(tradeFacts(order)))
  // Alipay notifies the close; asking now shows it at once.
  return queryOrder(kit, order)
}

/** Refunds all that is left, or `amount` of it, at Alipay; the notification records it. */
export async function refundOrder(
  kit: KitContext,
  order: OrderRow,
  input: { readonly amount?: string | undefined; readonly reason?: string | undefined },
  idempotency?: IdempotencyKey,
): Promise<OrderRow> {
  if (!order.state.paid)
    throw new ApiError(409, 'CONFLICT', 'The order is not paid: nothing to refund')
  if (order.gateway === 'legacy' && order.state.mode === 'escrow')
    // docs/protocol.md, "Legacy refunds": the batch refund services refund instant payments.
    throw new ApiError(
      409,
      'CONFLICT',
      "This order was paid into escrow (担保交易): Alipay's batch refund refunds instant payments only. The buyer asks for the refund at Alipay and you agree there; the order follows on its own",
    )
  const charged = order.state.adjustment?.chargedFen ?? Number(order.amount_fen)
  const left = charged - Number(order.refunded_fen)
  if (left <= 0)
    throw new ApiError(409, 'CONFLICT', 'The order is refunded in full: nothing is left to refund')
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
  // Under an idempotency key the request number is the key's, so Alipay dedupes a retry too.
  const requestNo = idempotency ? requestNoFromKey(idempotency) : newRequestNo()
  try {
    await gatewayFor(kit, order.gateway).refund(
      tradeFacts(order),
      amountFen,
      input.reason ?? 'merchant refund',
      requestNo,
      kit.callbacks(order.gateway).notifyUrl,
      idempotency?.firstUsedAt,
    )
  } catch (error) {
    // A retry of a legacy batch Alipay already took: its result notification records it.
    if (idempotency && error instanceof AlipayGatewayError && error.code === 'DUPLICATE_BATCH_NO')
      return (await findOrder(kit.store, order.id)) ?? order
    // The Open Platform refuses a refund in its answer (a legacy batch, in its result): either
    // way the refusal is recorded on the order and runs onRefundFailed.
    if (error instanceof AlipayGatewayError && error.code.startsWith('ACQ.'))
      await recordRefundFailure(kit, order, { id: requestNo, code: error.code, amountFen })
    return atAlipay(() => Promise.reject(error))
  }
  kit.config.logger.info({ refund: { orderId: order.id, amountFen } }, 'refund requested')
  return (await findOrder(kit.store, order.id)) ?? order
}

async function recordRefundFailure(
  kit: KitContext,
  order: OrderRow,
  failure: { id: string; code: string; amountFen: number },
): Promise<void> {
  kit.config.logger.warn({ refund: { orderId: order.id, ...failure } }, 'refund refused by Alipay')
  const applied = await kit.applier.apply({
    gateway: order.gateway,
    channel: 'query',
    orderId: order.id,
    notifyId: undefined,
    report: { refundFailed: failure },
    amountFen: undefined,
    tradeNo: undefined,
    buyerId: undefined,
    refundFen: undefined,
    params: undefined,
  })
  if (applied.outcome === 'applied') await kit.hooks.runClaimed(applied.order, applied.jobs)
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
  await atAlipay(() => gatewayFor(kit, order.gateway).ship(tradeFacts(order), input))
  return (await findOrder(kit.store, order.id)) ?? order
}
