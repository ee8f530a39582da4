import type { SessionData } from '../http/session.js'
import type { Queryable, Store } from '../store/types.js'

/** A live session's data, by the hash of its id. */
export async function findSession(q: Queryable, hash: string): Promise<SessionData | undefined> {
  const rows = await q.query<{ data: SessionData }>(
    'select data from akit_sessions where id_hash = $1 and expires_at > now()',
    [hash],
    'akit_session',
  )
  return rows[0]?.data
}

export async function insertSession(
  q: Queryable,
  hash: string,
  data: SessionData,
  expiresAt: Date,
): Promise<void> {
  await q.query(
    'insert into akit_sessions (id_hash, data, expires_at) values ($1, $2::jsonb, $3)',
    [hash, JSON.stringify(data), expiresAt],
  )
}

export async function updateSession(
  q: Queryable,
  hash: string,
  data: SessionData,
  expiresAt?: Date,
): Promise<void> {
  await q.query(
    'update akit_sessions set data = $2::jsonb, expires_at = coalesce($3, expires_at) where id_hash = $1',
    [hash, JSON.stringify(data), expiresAt ?? null],
  )
}

/** Changes a live session's data under a row lock (two requests of one browser cannot lose either write). */
export async function updateSessionLocked(
  store: Store,
  hash: string,
  update: (data: SessionData) => SessionData,
): Promise<void> {
  await store.transaction(async (tx) => {
    const rows = await tx.query<{ data: SessionData }>(
      'select data from akit_sessions where id_hash = $1 and expires_at > now() for update',
      [hash],
    )
    if (!rows[0]) return
    await updateSession(tx, hash, update(rows[0].data))
  })
}

export async function deleteSession(q: Queryable, hash: string): Promise<void> {
  await q.query('delete from akit_sessions where id_hash = $1', [hash])
}

/** Drops expired sessions; returns how many. */
export async function deleteExpiredSessions(q: Queryable): Promise<number> {
  const rows = await q.query('delete from akit_sessions where expires_at < now() returning 1')
  return rows.length
}
