import type { Queryable } from '../store/types.js'

/** A login or address round trip through Alipay: its CSRF state (hashed), session and destination. */
export interface FlowStateRow {
  readonly stateHash: string
  readonly sessionHash: string
  readonly kind: string
  readonly returnTo: string
  readonly expiresAt: Date
  /** What the flow waits to confirm (an etao login's member), if anything. */
  readonly data?: unknown
}

/** A flow as it is read back. */
export interface TakenFlow {
  readonly sessionHash: string
  readonly returnTo: string
  readonly data: unknown
}

export async function insertFlowState(q: Queryable, flow: FlowStateRow): Promise<void> {
  await q.query(
    `insert into akit_flow_states (state_hash, session_hash, kind, return_to, expires_at, data)
     values ($1, $2, $3, $4, $5, $6::jsonb)`,
    [
      flow.stateHash,
      flow.sessionHash,
      flow.kind,
      flow.returnTo,
      flow.expiresAt,
      flow.data === undefined ? null : JSON.stringify(flow.data),
    ],
  )
}

type FlowRow = { session_hash: string; return_to: string; data: unknown }
const taken = (row: FlowRow | undefined): TakenFlow | undefined =>
  row ? { sessionHash: row.session_hash, returnTo: row.return_to, data: row.data } : undefined

/** Takes a live flow state back, once: a second take finds nothing. */
export async function takeFlowState(
  q: Queryable,
  stateHash: string,
  kind: string,
): Promise<TakenFlow | undefined> {
  const rows = await q.query<FlowRow>(
    `delete from akit_flow_states where state_hash = $1 and kind = $2 and expires_at > now()
     returning session_hash, return_to, data`,
    [stateHash, kind],
  )
  return taken(rows[0])
}

/** Reads a live flow state without taking it (a page that asks before the flow goes on). */
export async function peekFlowState(
  q: Queryable,
  stateHash: string,
  kind: string,
): Promise<TakenFlow | undefined> {
  const rows = await q.query<FlowRow>(
    `select session_hash, return_to, data from akit_flow_states
     where state_hash = $1 and kind = $2 and expires_at > now()`,
    [stateHash, kind],
  )
  return taken(rows[0])
}

/** Drops expired flow states; returns how many. */
export async function deleteExpiredFlowStates(q: Queryable): Promise<number> {
  const rows = await q.query('delete from akit_flow_states where expires_at < now() returning 1')
  return rows.length
}
