import { deleteOldUnverified, deleteOldVerified } from '../repositories/notifications.js'
import type { Job } from './job.js'

/** Rows deleted per statement: short statements, so that no delete holds up the status batches. */
const BATCH = 5_000
/** Statements per kind and pass at most (the next pass goes on): 250,000 rows of each an hour. */
const ROUNDS = 50

/**
 * Drops notification log entries past their retention (`retention` in the kit's options, defaults
 * 90 days for verified entries and 7 for unverified ones; see
 * docs/security.md, "Unauthenticated writes"). Nothing else ever deletes the log; orders and
 * their events are never deleted.
 */
export function logRetentionJob(everyMs = 3_600_000): Job {
  return {
    name: 'log-retention',
    everyMs,
    scope: 'singleton',
    run: async (kit) => {
      const { notificationLogDays, refusedLogDays } = kit.config.retention
      let deleted = 0
      for (let round = 0; round < ROUNDS; round++) {
        const n = await deleteOldUnverified(kit.store, refusedLogDays, BATCH)
        deleted += n
        if (n < BATCH) break
      }
      for (let round = 0; round < ROUNDS; round++) {
        const n = await deleteOldVerified(kit.store, notificationLogDays, BATCH)
        deleted += n
        // None among the oldest rows: the rest are younger (ids grow with time).
        if (n === 0) break
      }
      return deleted
    },
  }
}
