import type { Bucket } from '../limits/token-buckets.js'
import type { Queryable } from '../store/types.js'

/**
 * Takes a token from each bucket at `now` (ms), GCRA as src/limits/token-buckets.ts describes it;
 * answers each key's wait (0: taken). One statement: ON CONFLICT decides on the row's latest
 * version under its lock, so instances racing for one key each see the other's token gone. The
 * row keeps its pace and last answer (emission_ms, tolerance_ms, wait_ms) because DO UPDATE sees
 * only the stored row and `excluded`, and RETURNING only the new row.
 */
export async function takeTokens(
  q: Queryable,
  buckets: readonly Bucket[],
  now: number,
): Promise<Map<string, number>> {
  const rows = await q.query<{ key: string; wait_ms: number }>(
    `insert into akit_rate_buckets as b (key, tat, emission_ms, tolerance_ms, wait_ms)
       select key, $4 + emission, emission, tolerance, 0
       from unnest($1::text[], $2::float8[], $3::float8[]) as i (key, emission, tolerance)
     on conflict (key) do update set
       tat = case when greatest(b.tat, $4) - $4 <= excluded.tolerance_ms
                  then greatest(b.tat, $4) + excluded.emission_ms else b.tat end,
       wait_ms = case when greatest(b.tat, $4) - $4 <= excluded.tolerance_ms
                  then 0 else ceil(b.tat - excluded.tolerance_ms - $4) end,
       emission_ms = excluded.emission_ms,
       tolerance_ms = excluded.tolerance_ms
     returning key, wait_ms`,
    [
      buckets.map((bucket) => bucket.key),
      buckets.map((bucket) => bucket.emissionMs),
      buckets.map((bucket) => bucket.toleranceMs),
      now,
    ],
    'akit_take_tokens',
  )
  return new Map(rows.map((row) => [row.key, Number(row.wait_ms)]))
}

/** Drops buckets that are full again at `now` (ms): a missing row is a full bucket. */
export async function deleteFullBuckets(q: Queryable, now: number): Promise<number> {
  const rows = await q.query('delete from akit_rate_buckets where tat <= $1 returning 1', [now])
  return rows.length
}
