import type { Queryable } from '../store/types.js'

/**
 * Takes the lease of a job that should run once a period across all instances (cleanup, the
 * daily bill): the row is taken when it is free or its lease ran out. Returns whether this holder
 * has it, until `now + leaseMs`; it is not given back, so the period holds whoever ran. Queue-like
 * jobs do not need it: they claim their rows with SKIP LOCKED.
 */
export async function takeJobLease(
  q: Queryable,
  job: string,
  holder: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await q.query(
    `insert into akit_job_leases (job, holder, until)
     values ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
     on conflict (job) do update set holder = excluded.holder, until = excluded.until
       where akit_job_leases.until <= now() or akit_job_leases.holder = excluded.holder
     returning job`,
    [job, holder, leaseMs],
  )
  return rows.length > 0
}
