import { AlipayGatewayError } from '@alipay-kit/core'
import type { KitContext } from '../context.js'
import type { OrderRow } from '../orders/view.js'
import type { ApplyResult } from './applier.js'

/**
 * Alipay's answers to a close that mean "there is nothing open to close": no trade yet (the buyer
 * never opened the cashier) or one already closed. The order is then closed here too.
 */
const NOTHING_TO_CLOSE: ReadonlySet<string> = new Set([
  'ACQ.TRADE_NOT_EXIST',
  'TRADE_NOT_EXIST',
  'ACQ.TRADE_HAS_CLOSE',
])

/** Whether a close's failure means there was nothing open at Alipay to close. */
export function nothingToClose(error: unknown): boolean {
  return error instanceof AlipayGatewayError && NOTHING_TO_CLOSE.has(error.code)
}

/**
 * Records the order closed as a `TRADE_CLOSED` from Alipay would be (channel `query`: the same
 * state machine, log and hooks), once Alipay has nothing open for it. A payment that comes anyway
 * is applied and flagged (docs/protocol.md, "Expiry").
 */
export async function closeHere(kit: KitContext, order: OrderRow): Promise<ApplyResult> {
  const closed = await kit.applier.apply({
    gateway: order.gateway,
    channel: 'query',
    orderId: order.id,
    notifyId: undefined,
    report: { tradeStatus: 'TRADE_CLOSED' },
    amountFen: undefined,
    tradeNo: undefined,
    buyerId: undefined,
    refundFen: undefined,
    params: undefined,
  })
  if (closed.outcome === 'applied') await kit.hooks.runClaimed(closed.order, closed.jobs)
  return closed
}
