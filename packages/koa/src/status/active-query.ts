import { gatewayFor, type KitContext } from '../context.js'
import type { OrderRow } from '../orders/view.js'
import { claimActiveQuery, findOrder } from '../repositories/orders.js'
import { afterApply } from './after-apply.js'
import type { ApplyResult } from './applier.js'

/**
 * When the buyer came back but no notification followed, asks Alipay itself (trade query) and
 * applies the answer like a notification. One instance asks at a time, at most every
 * queryAfterReturnMs. Pass `force` for the merchant's explicit query.
 */
export async function refreshFromAlipay(
  kit: KitContext,
  order: OrderRow,
  force = false,
): Promise<{ order: OrderRow; result: ApplyResult | undefined }> {
  const wait = kit.config.queryAfterReturnMs
  if (!force && !(await claimActiveQuery(kit.store, order.id, wait, wait)))
    return { order, result: undefined }
  const queried = await gatewayFor(kit, order.gateway).query(order.id)
  if (!queried) return { order, result: undefined }
  const result = await kit.applier.apply({
    gateway: order.gateway,
    channel: 'query',
    orderId: order.id,
    notifyId: undefined,
    report: queried.report,
    amountFen: queried.amountFen,
    tradeNo: queried.tradeNo,
    buyerId: queried.buyerId,
    refundFen: queried.refundFen,
    params: queried.params,
  })
  if (result.outcome === 'applied') {
    await afterApply(kit, result)
    return { order: result.order, result }
  }
  return { order: (await findOrder(kit.store, order.id)) ?? order, result }
}

/** Asks Alipay when the buyer returned some seconds ago and no notification came; never fails the caller. */
export async function withActiveQuery(kit: KitContext, order: OrderRow): Promise<OrderRow> {
  if (order.returned_at === null || order.state.paid || order.state.trade !== 'WAIT_BUYER_PAY')
    return order
  try {
    return (await refreshFromAlipay(kit, order)).order
  } catch (error) {
    kit.config.logger.warn(
      { query: { orderId: order.id }, err: { message: (error as Error).message } },
      'active query failed',
    )
    return order
  }
}
