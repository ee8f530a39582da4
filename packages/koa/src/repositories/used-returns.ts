import type { Queryable } from '../store/types.js'

/**
 * Records a signed return's notify_id; true the first time, false when it was used already (a
 * login or address return is good once: docs/security.md, "Login CSRF").
 */
export async function useReturnOnce(q: Queryable, notifyId: string): Promise<boolean> {
  const rows = await q.query(
    'insert into akit_used_returns (notify_id) values ($1) on conflict do nothing returning 1',
    [notifyId],
  )
  return rows.length === 1
}

/** Forgets the notify_ids used before `before` (Alipay's own stop being valid after a minute). */
export async function deleteOldUsedReturns(q: Queryable, before: Date): Promise<number> {
  const rows = await q.query('delete from akit_used_returns where used_at < $1 returning 1', [
    before,
  ])
  return rows.length
}
