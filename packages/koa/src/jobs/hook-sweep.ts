import type { Job } from './job.js'

/**
 * Runs due hook jobs: failed ones whose retry time came, and orphans of an instance that died
 * mid-hook (their lock expired). Claimed with SKIP LOCKED (repositories/hook-jobs.ts).
 */
export function hookSweepJob(everyMs: number): Job {
  return {
    name: 'hook-sweep',
    everyMs,
    scope: 'queue',
    run: (kit) => kit.hooks.sweep(),
  }
}
