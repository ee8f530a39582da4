import type { KitContext } from '../context.js'
import { claimDueSweeps, scheduleSweeps } from '../repositories/sweep.js'
import type { Job } from './job.js'
import { sweepOrder } from './sweep-order.js'

/** Orders claimed per round trip, and asked about at once per instance. */
const CLAIM_BATCH = 50
const PARALLEL_QUERIES = 8
/** A claimed order stays this instance's this long (longer than any call to Alipay). */
const LEASE_MS = 5 * 60_000

/**
 * The sweep (koa README, "The sweep"): orders waiting for payment are asked about at Alipay on a
 * schedule, because a notification may never come (the merchant's server was down for Alipay's
 * whole retry window, the buyer closed the cashier). A queue job: every instance claims due
 * orders with SKIP LOCKED, so no order is asked about twice at once.
 */
export function paymentSweepJob(everyMs: number): Job {
  return {
    name: 'payment-sweep',
    everyMs,
    scope: 'queue',
    run: sweepPass,
  }
}

/** Claims and sweeps due orders until none is left or the pass has run for `everyMs`. */
export async function sweepPass(kit: KitContext): Promise<number> {
  const started = Date.now()
  let done = 0
  for (;;) {
    const claimed = await claimDueSweeps(
      kit.store,
      new Date(kit.config.clock()),
      LEASE_MS,
      CLAIM_BATCH,
    )
    let cursor = 0
    const outcomes: Array<{ id: string; next: Date | null; answered: boolean }> = []
    const worker = async () => {
      for (let order = claimed[cursor++]; order; order = claimed[cursor++]) {
        const outcome = await sweepOrder(kit, order)
        outcomes.push({ id: order.id, next: outcome.next, answered: outcome.answered })
        done++
      }
    }
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL_QUERIES, claimed.length) }, worker))
    } finally {
      // What was swept is scheduled even if one order's sweep threw (the rest keep their lease).
      await scheduleSweeps(kit.store, outcomes)
    }
    if (claimed.length < CLAIM_BATCH || Date.now() - started > kit.config.sweepMs) return done
  }
}
