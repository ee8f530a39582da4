import type { KitContext } from '../context.js'
import { settleRefunds } from '../repositories/refunds.js'
import type { ApplyResult } from './applier.js'

/**
 * Runs the hooks of a new transition (notification or query alike), and says so in the log when
 * a person must look: an order held for review, or paid after the shop had closed it.
 */
export async function afterApply(kit: KitContext, applied: ApplyResult): Promise<void> {
  if (applied.outcome !== 'applied') return
  const review = applied.order.state.review
  if (review && applied.events.some((e) => e.event === 'review'))
    kit.config.logger.warn(
      { review: { orderId: applied.order.id, code: review.code, reason: review.reason } },
      review.code === 'PAID_AFTER_CLOSE'
        ? 'paid after the order was closed: flagged for the merchant'
        : 'order held for review',
    )
  // A refund's result settles its request (akit_refunds): what is left to refund counts it as
  // refunded now, or no longer (merchant/operations.ts).
  if (applied.events.some((e) => e.event === 'refunded' || e.event === 'refund_failed'))
    await settleRefunds(kit.store, applied.order.id, {
      succeeded: applied.order.state.refundsSucceeded,
      failed: applied.order.state.refundsFailed ?? [],
    })
  await kit.hooks.runClaimed(applied.order, applied.jobs)
}
