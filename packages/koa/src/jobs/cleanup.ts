import { deleteExpiredFlowStates } from '../repositories/flow-states.js'
import { deleteExpiredSessions } from '../repositories/sessions.js'
import type { Job } from './job.js'

/** Drops expired sessions and login/address flow states. */
export function cleanupJob(everyMs = 10 * 60_000): Job {
  return {
    name: 'cleanup',
    everyMs,
    scope: 'singleton',
    run: async (kit) =>
      (await deleteExpiredFlowStates(kit.store)) + (await deleteExpiredSessions(kit.store)),
  }
}
