import type { ShipInput } from '@alipay-kit/client'
import {
  AlipayGatewayError,
  type AlipayKitError,
  formatYuan,
  isAlipayKitError,
  parseYuan,
} from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import { legacyBatchNo } from '../gateway/legacy.js'
import { ApiError } from '../http/errors.js'
import { type IdempotencyKey, requestNoFromKey } from '../http/idempotency.js'
import { newRequestNo } from '../http/secrets.js'
import { tradeFacts } from '../orders/trade-facts.js'
import type { OrderRow } from '../orders/view.js'
import { findOrder } from '../repositories/orders.js'
import {
  failRefundRequest,
  type RefundRequests,
  recordRefundRequest,
  refundRequests,
} from '../repositories/refunds.js'
import { refreshFromAlipay } from '../status/active-query.js'
import { closeHere, nothingToClose } from '../status/close-here.js'
import { batchRefundId } from '../status/refund-batch.js'

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

/**
 * Closes an unpaid trade at Alipay, then shows what Alipay says; when Alipay has nothing open for
 * it (no trade yet, or closed already), closes the order here.
 */
export async function closeOrder(kit: KitContext, order: OrderRow): Promise<OrderRow> {
  if (order.state.trade !== 'WAIT_BUYER_PAY')
    throw new ApiError(
      409,
      'CONFLICT',
      `Only an unpaid order can be closed; this one is ${order.state.trade}`,
    )
  try {
    await gatewayFor(kit, order.gateway).close(tradeFacts(order))
  } catch (error) {
    // No trade at Alipay (the buyer never opened the cashier) or one closed already: nothing is
    // open there, so the order closes here, as the sweep does at expiry.
    if (!nothingToClose(error)) return atAlipay(() => Promise.reject(error))
    const closed = await closeHere(kit, order)
    return closed.outcome === 'applied'
      ? closed.order
      : ((await findOrder(kit.store, order.id)) ?? order)
  }
  // Alipay notifies the close; asking now shows it at once.
  return queryOrder(kit, order)
}

/**
 * Refunds all that is left, or `amount` of it, at Alipay; the notification records it. What is
 * left counts the refunds asked for and not yet confirmed: each is recorded as requested
 * (akit_refunds) under the order's row lock before it is sent, so concurrent refunds can never
 * together ask Alipay for more than was paid (docs/security.md, "Concurrent refunds").
 */
export async function refundOrder(
  kit: KitContext,
  order: OrderRow,
  input: { readonly amount?: string | undefined; readonly reason?: string | undefined },
  idempotency?: IdempotencyKey,
): Promise<OrderRow> {
  let wanted: number | undefined
  try {
    if (input.amount !== undefined) wanted = parseYuan(input.amount, 'amount')
  } catch (error) {
    throw new ApiError(400, 'INVALID_INPUT', (error as Error).message, 'amount')
  }
  // Under an idempotency key the request number is the key's, so Alipay dedupes a retry too.
  const requestNo = idempotency ? requestNoFromKey(idempotency) : newRequestNo()
  const requestedAt = idempotency?.firstUsedAt ?? new Date()
  const refundId =
    order.gateway === 'legacy' ? batchRefundId(legacyBatchNo(requestNo, requestedAt)) : requestNo
  const { current, amountFen } = await kit.store.transaction(async (tx) => {
    const current = (await findOrder(tx, order.id, { forUpdate: true })) ?? order
    const requests = await refundRequests(
      tx,
      current.id,
      { succeeded: current.state.refundsSucceeded, failed: current.state.refundsFailed ?? [] },
      requestNo,
    )
    if (requests.refusedBefore !== undefined)
      // A request Alipay refused is final: sent again (after a top-up, say) it could refund.
      throw new ApiError(
        409,
        'CONFLICT',
        `Alipay refused this refund request before (${requests.refusedBefore}): to refund, send a new request with a new Idempotency-Key`,
      )
    const amount = refundable(current, requests, wanted)
    await recordRefundRequest(tx, { requestNo, orderId: current.id, refundId, amountFen: amount })
    return { current, amountFen: amount }
  })
  try {
    await gatewayFor(kit, order.gateway).refund(
      tradeFacts(current),
      amountFen,
      input.reason ?? 'merchant refund',
      requestNo,
      kit.callbacks(order.gateway).notifyUrl,
      requestedAt,
    )
  } catch (error) {
    // A retry of a legacy batch Alipay already took: its result notification records it.
    if (idempotency && error instanceof AlipayGatewayError && error.code === 'DUPLICATE_BATCH_NO')
      return (await findOrder(kit.store, order.id)) ?? order
    // Unreachable, an answer that cannot be trusted, or Alipay's "busy, retry with the same
    // parameters" leave the outcome unknown: the request stays held, the 502/503 lets a retry
    // with the same key send it again (the same request number: Alipay dedupes it).
    if (error instanceof AlipayGatewayError && OUTCOME_UNKNOWN.has(error.code))
      return atAlipay(() => Promise.reject(error))
    // Alipay refused it, or it was never sent (a value Alipay would refuse): nothing was
    // refunded, the amount is no longer held, and the answer is final (kept under its key).
    if (error instanceof AlipayGatewayError || isAlipayKitError(error, 'INVALID_INPUT'))
      await failRefundRequest(kit.store, requestNo, (error as AlipayKitError).code)
    // The Open Platform refuses a refund in its answer (a legacy batch, in its result): either
    // way the refusal is recorded on the order and runs onRefundFailed.
    if (error instanceof AlipayGatewayError && error.code.startsWith('ACQ.'))
      await recordRefundFailure(kit, order, { id: requestNo, code: error.code, amountFen })
    if (error instanceof AlipayGatewayError)
      throw new ApiError(502, error.code, error.message, undefined, { final: true })
    throw error
  }
  kit.config.logger.info({ refund: { orderId: order.id, amountFen } }, 'refund requested')
  return (await findOrder(kit.store, order.id)) ?? order
}

/**
 * Gateway errors after which nobody knows whether Alipay took the refund: unreachable, an answer
 * that cannot be trusted, and `ACQ.SYSTEM_ERROR` ("Alipay is busy: retry later with the same
 * parameters", the error catalog).
 */
const OUTCOME_UNKNOWN = new Set([
  'GATEWAY_UNREACHABLE',
  'UNTRUSTED_ANSWER',
  'isv.invalid-signature',
  'ACQ.SYSTEM_ERROR',
])

/**
 * How much this refund asks for, in fen: `wanted`, or all that is left. What is committed is
 * what Alipay says is refunded (`refunded_fen`, its cumulative `refund_fee`), or, when more, what
 * the kit confirmed plus what it asked for and is not confirmed yet. Not the sum of both: a
 * refund whose own result never came is in a later result's cumulative `refund_fee` while its
 * request is still counted (docs/security.md, "Concurrent refunds").
 */
function refundable(order: OrderRow, requests: RefundRequests, wanted: number | undefined): number {
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
  const refunded = Number(order.refunded_fen)
  const committed = Math.max(refunded, requests.succeededFen + requests.requestedFen)
  const left = charged - committed
  const unconfirmed = committed - refunded
  const account = `${formatYuan(charged)} paid, ${formatYuan(refunded)} refunded, ${formatYuan(unconfirmed)} requested and not confirmed by Alipay yet`
  if (refunded >= charged)
    throw new ApiError(409, 'CONFLICT', 'The order is refunded in full: nothing is left to refund')
  if (left <= 0)
    throw new ApiError(
      409,
      'CONFLICT',
      `Nothing is left to refund until Alipay confirms the refunds asked for (${account})`,
    )
  if (wanted !== undefined && wanted > left)
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `amount: at most ${formatYuan(left)} is left to refund (${account})`,
      'amount',
    )
  return wanted ?? left
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
