import { deleteExpiredFlowStates } from '../repositories/flow-states.js'
import { deleteOldIdempotencyKeys } from '../repositories/idempotency-keys.js'
import { deleteOldWindows } from '../repositories/rate-limits.js'
import { deleteExpiredSessions } from '../repositories/sessions.js'
import type { Job } from './job.js'

/** Merchant API idempotency keys are kept two days (24 hours at least, as promised). */
const IDEMPOTENCY_KEEP_MS = 48 * 3600_000

/** Drops expired sessions and login/address flow states, old idempotency keys and rate-limit windows. */
export function cleanupJob(everyMs = 10 * 60_000): Job {
  return {
    name: 'cleanup',
    everyMs,
    scope: 'singleton',
    run: async (kit) =>
      (await deleteExpiredFlowStates(kit.store)) +
      (await deleteExpiredSessions(kit.store)) +
      (await deleteOldIdempotencyKeys(kit.store, IDEMPOTENCY_KEEP_MS)) +
      // Rate-limit windows are over a minute after they end (Redis expires its own).
      (await deleteOldWindows(
        kit.store,
        kit.config.clock() - 2 * (kit.config.rateLimits?.windowMs ?? 60_000),
      )),
  }
}
