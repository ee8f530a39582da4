import { explainAlipayError, type RefundBatchNotification } from '@alipay-kit/core'
import type { KitContext } from '../context.js'
import { findOrdersByTradeNo } from '../repositories/orders.js'
import type { ApplyResult } from './applier.js'
import { logRejection } from './applier.js'

/** The refund id of a batch's line: one refund per trade and batch (docs/protocol.md, "Legacy refunds"). */
export const batchRefundId = (batchNo: string) => `batch-${batchNo}`

/**
 * Applies a legacy refund batch's result (batch_refund_notify): each line to the order of its
 * trade_no, once (the refund id is the batch number). A SUCCESS line records the refund and its
 * amount (`refunded` runs); any other result records the refusal with Alipay's code
 * (`refund_failed` runs, the log says why). Lines whose trade this shop does not know yet are
 * logged and answered `fail`, so that Alipay sends the result again; the known lines are applied
 * meanwhile and will be duplicates then.
 */
export async function applyRefundBatch(
  kit: KitContext,
  n: RefundBatchNotification,
): Promise<{ applied: ApplyResult[]; unknown: string[] }> {
  const orders = await findOrdersByTradeNo(
    kit.store,
    n.results.map((line) => line.tradeNo),
  )
  const byTradeNo = new Map(orders.map((order) => [order.trade_no, order]))
  const id = batchRefundId(n.batchNo)
  const unknown: string[] = []
  const work: Array<Promise<ApplyResult>> = []
  for (const line of n.results) {
    const order = byTradeNo.get(line.tradeNo)
    if (order?.gateway !== 'legacy') {
      unknown.push(line.tradeNo)
      await logRejection(kit.store, {
        gateway: 'legacy',
        channel: 'notify',
        notifyId: n.notifyId,
        refundStatus: line.succeeded ? 'REFUND_SUCCESS' : line.result,
        code: 'UNKNOWN_TRADE',
        reason: `refund batch ${n.batchNo}: trade_no ${line.tradeNo} is not a paid order of this shop (yet); Alipay will send the result again`,
        params: n.params,
      })
      continue
    }
    work.push(
      kit.applier.apply({
        gateway: 'legacy',
        channel: 'notify',
        orderId: order.id,
        notifyId: n.notifyId,
        report: line.succeeded
          ? { refundStatus: 'REFUND_SUCCESS', refundId: id, refundAmountFen: line.amountFen }
          : { refundFailed: { id, code: line.result, amountFen: line.amountFen } },
        amountFen: undefined,
        tradeNo: line.tradeNo,
        buyerId: undefined,
        refundFen: undefined,
        params: n.params,
      }),
    )
    if (!line.succeeded) {
      const explained = explainAlipayError({ code: line.result }, 'en')
      kit.config.logger.warn(
        {
          refund: {
            orderId: order.id,
            batchNo: n.batchNo,
            amountFen: line.amountFen,
            code: line.result,
            ...(explained.known ? { cause: explained.cause, fix: explained.fix } : {}),
          },
        },
        'refund refused by Alipay',
      )
    }
  }
  return { applied: await Promise.all(work), unknown }
}
