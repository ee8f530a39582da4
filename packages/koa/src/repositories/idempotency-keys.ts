import type { Queryable } from '../store/types.js'

/** A stored key: what it was first used for, and its answer once there is one. */
export interface IdempotencyRow {
  readonly fingerprint: string
  readonly created_at: Date | string
  readonly status: number | null
  readonly response: unknown
  /** This caller holds the key now (it inserted it, or took over one whose holder died). */
  readonly claimed: boolean
}

/**
 * Claims a key for a request, or answers what it holds: inserted (new), taken over (no answer
 * yet and its lock ran out: the first holder died or failed before Alipay answered), or the row
 * as it is (another request's, an answer to replay, or one still running).
 */
export async function claimIdempotencyKey(
  q: Queryable,
  key: string,
  fingerprint: string,
  lockMs: number,
): Promise<IdempotencyRow> {
  const [claimed] = await q.query<IdempotencyRow>(
    `insert into akit_idempotency_keys (key, fingerprint, locked_until)
     values ($1, $2, now() + make_interval(secs => $3::double precision / 1000))
     on conflict (key) do update set locked_until = excluded.locked_until
       where akit_idempotency_keys.status is null
         and akit_idempotency_keys.fingerprint = excluded.fingerprint
         and akit_idempotency_keys.locked_until < now()
     returning fingerprint, created_at, status, response, true as claimed`,
    [key, fingerprint, lockMs],
  )
  if (claimed) return claimed
  const [existing] = await q.query<IdempotencyRow>(
    `select fingerprint, created_at, status, response, false as claimed
     from akit_idempotency_keys where key = $1`,
    [key],
  )
  // Deleted between the two statements (older than the retention): claim it afresh.
  return existing ?? claimIdempotencyKey(q, key, fingerprint, lockMs)
}

/** Keeps the answer to replay for this key. */
export async function saveIdempotentAnswer(
  q: Queryable,
  key: string,
  status: number,
  response: unknown,
): Promise<void> {
  await q.query(
    'update akit_idempotency_keys set status = $2, response = $3::jsonb, locked_until = null where key = $1',
    [key, status, JSON.stringify(response)],
  )
}

/** Lets the next request with this key run again (the action's outcome is unknown). */
export async function releaseIdempotencyKey(q: Queryable, key: string): Promise<void> {
  await q.query('update akit_idempotency_keys set locked_until = now() where key = $1', [key])
}

/** Drops keys older than `keepMs` (the cleanup job; kept 24 hours at least). */
export async function deleteOldIdempotencyKeys(q: Queryable, keepMs: number): Promise<number> {
  const rows = await q.query(
    `delete from akit_idempotency_keys
     where created_at < now() - make_interval(secs => $1::double precision / 1000) returning 1`,
    [keepMs],
  )
  return rows.length
}
