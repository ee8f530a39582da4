import type { KitContext } from '../context.js'

/**
 * Background work of the BFF. Every timer of the kit is a Job in src/jobs, started and stopped by
 * the JobScheduler, so that many instances share the work:
 * - `queue` jobs work through rows each pass claims with `FOR UPDATE SKIP LOCKED` (hook jobs,
 *   order sweeps): every instance runs them and no row is worked twice at once;
 * - `singleton` jobs do one thing for the whole shop (cleanup, the daily bill): a lease in the
 *   store lets one instance run them per period.
 * ARCHITECTURE.md, "Add a background job", is the recipe.
 */
export interface Job {
  /** Stable: in logs, in the lease table, and for `kit.jobs.run(name)`. */
  readonly name: string
  /** How often each instance runs a pass. */
  readonly everyMs: number
  readonly scope: 'queue' | 'singleton'
  /** One pass; resolves to how many things it did (for the log), throws to be tried next time. */
  run(kit: KitContext): Promise<number>
}
