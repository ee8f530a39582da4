import { deleteExpiredFlowStates } from '../repositories/flow-states.js'
import { deleteOldIdempotencyKeys } from '../repositories/idempotency-keys.js'
import { deleteFullBuckets } from '../repositories/rate-limits.js'
import { deleteExpiredSessions } from '../repositories/sessions.js'
import { deleteOldUsedReturns } from '../repositories/used-returns.js'
import type { Job } from './job.js'

/** Merchant API idempotency keys are kept two days (24 hours at least, as promised). */
const IDEMPOTENCY_KEEP_MS = 48 * 3600_000
/** A used return's notify_id is kept a day: Alipay's own is valid about a minute (docs/protocol.md). */
const USED_RETURN_KEEP_MS = 24 * 3600_000

/** Drops expired sessions and login/address flow states, old idempotency keys and full rate-limit buckets. */
export function cleanupJob(everyMs = 10 * 60_000): Job {
  return {
    name: 'cleanup',
    everyMs,
    scope: 'singleton',
    run: async (kit) =>
      (await deleteExpiredFlowStates(kit.store)) +
      (await deleteExpiredSessions(kit.store)) +
      (await deleteOldIdempotencyKeys(kit.store, IDEMPOTENCY_KEEP_MS)) +
      (await deleteOldUsedReturns(kit.store, new Date(kit.config.clock() - USED_RETURN_KEEP_MS))) +
      // A full bucket is the same as none (Redis expires its own).
      (await deleteFullBuckets(kit.store, kit.config.clock())),
  }
}
