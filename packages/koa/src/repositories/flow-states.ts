import type { Queryable } from '../store/types.js'

/** A login or address round trip through Alipay: its CSRF state (hashed), session and destination. */
export interface FlowStateRow {
  readonly stateHash: string
  readonly sessionHash: string
  readonly kind: string
  readonly returnTo: string
  readonly expiresAt: Date
}

export async function insertFlowState(q: Queryable, flow: FlowStateRow): Promise<void> {
  await q.query(
    `insert into akit_flow_states (state_hash, session_hash, kind, return_to, expires_at) values ($1, $2, $3, $4, $5)`,
    [flow.stateHash, flow.sessionHash, flow.kind, flow.returnTo, flow.expiresAt],
  )
}

/** Takes a live flow state back, once: a second take finds nothing. */
export async function takeFlowState(
  q: Queryable,
  stateHash: string,
  kind: string,
): Promise<{ sessionHash: string; returnTo: string } | undefined> {
  const rows = await q.query<{ session_hash: string; return_to: string }>(
    `delete from akit_flow_states where state_hash = $1 and kind = $2 and expires_at > now()
     returning session_hash, return_to`,
    [stateHash, kind],
  )
  const row = rows[0]
  return row ? { sessionHash: row.session_hash, returnTo: row.return_to } : undefined
}

/** Drops expired flow states; returns how many. */
export async function deleteExpiredFlowStates(q: Queryable): Promise<number> {
  const rows = await q.query('delete from akit_flow_states where expires_at < now() returning 1')
  return rows.length
}
