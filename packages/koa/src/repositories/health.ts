import type { Queryable } from '../store/types.js'

/** A round trip to the store: resolves when it answers, rejects with why when it does not. */
export async function pingStore(q: Queryable): Promise<void> {
  await q.query('select 1')
}
