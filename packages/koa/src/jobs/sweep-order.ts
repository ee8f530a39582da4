import { gatewayFor, type KitContext } from '../context.js'
import { tradeFacts } from '../orders/trade-facts.js'
import type { OrderRow } from '../orders/view.js'
import { refreshFromAlipay } from '../status/active-query.js'
import { closeHere, nothingToClose } from '../status/close-here.js'
import { nextSweepAt } from './sweep-schedule.js'

/** A query or close that failed is tried again this soon, and not counted. */
const RETRY_MS = 60_000

/** What one sweep of one order did, and when to look again (null: the order left the sweep). */
export interface SweepOutcome {
  readonly did: 'queried' | 'expired' | 'failed'
  readonly next: Date | null
  /** Alipay answered (a failure is not counted as a status). */
  readonly answered: boolean
}

/**
 * Sweeps one order waiting for payment: asks Alipay and applies the answer like a notification
 * (channel `query`, the same state machine and hooks); once the payment expired, asks a last
 * time, closes the trade at Alipay, then closes the order (docs/protocol.md, "Expiry").
 */
export async function sweepOrder(kit: KitContext, order: OrderRow): Promise<SweepOutcome> {
  const now = kit.config.clock()
  const facts = tradeFacts(order)
  const created = new Date(order.created_at).getTime()
  const expires = facts.expiresAt.getTime()
  const log = kit.config.logger
  const retry = (what: string, error: unknown): SweepOutcome => {
    log.warn(
      { sweep: { orderId: order.id, what }, err: { message: (error as Error).message } },
      'sweep: Alipay did not answer; trying again later',
    )
    return { did: 'failed', next: new Date(now + RETRY_MS), answered: false }
  }
  let refreshed: Awaited<ReturnType<typeof refreshFromAlipay>>
  try {
    refreshed = await refreshFromAlipay(kit, order, true)
  } catch (error) {
    return retry('query', error)
  }
  const waiting = refreshed.order.state.trade === 'WAIT_BUYER_PAY' && !refreshed.order.state.review
  if (!waiting) return { did: 'queried', next: null, answered: true }
  if (now < expires)
    return {
      did: 'queried',
      next: new Date(nextSweepAt(kit.config, created, expires, now)),
      answered: true,
    }
  // Expired and still unpaid: close at Alipay first, so the buyer cannot pay what the shop
  // gives up on; if the buyer paid meanwhile, the close is refused and the next pass sees it.
  try {
    await gatewayFor(kit, order.gateway).close(facts)
  } catch (error) {
    if (!nothingToClose(error)) return retry('close', error)
  }
  await closeHere(kit, order)
  log.info({ sweep: { orderId: order.id, expiredAt: facts.expiresAt } }, 'payment expired: closed')
  return { did: 'expired', next: null, answered: true }
}
