import type { Queryable } from '../store/types.js'

/** Counts one hit on each key in the window starting at `windowStart` (ms); answers each key's hits. */
export async function countHits(
  q: Queryable,
  keys: readonly string[],
  windowStart: number,
): Promise<Map<string, number>> {
  const rows = await q.query<{ key: string; hits: number }>(
    `insert into akit_rate_limits (key, window_start, hits)
       select key, $2, 1 from unnest($1::text[]) as key
     on conflict (key, window_start) do update set hits = akit_rate_limits.hits + 1
     returning key, hits`,
    [keys, windowStart],
    'akit_count_hits',
  )
  return new Map(rows.map((row) => [row.key, row.hits]))
}

/** Drops windows that ended before `before` (ms). */
export async function deleteOldWindows(q: Queryable, before: number): Promise<number> {
  const rows = await q.query('delete from akit_rate_limits where window_start < $1 returning 1', [
    before,
  ])
  return rows.length
}
