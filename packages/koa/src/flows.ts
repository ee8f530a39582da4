import { hashSecret, newSecret } from './http/session.js'
import type { Store } from './store/types.js'

/** Login and address choices must come back within this long. */
const FLOW_TTL_MS = 30 * 60_000

export type FlowKind = 'quick_login' | 'oauth' | 'address'

/**
 * A CSRF state for a round trip through Alipay, bound to the session that started it. It travels
 * in the return URL's path (Alipay refuses return URLs with a query string) and is good once.
 */
export async function startFlow(
  store: Store,
  sessionHash: string,
  kind: FlowKind,
  returnTo: string,
): Promise<string> {
  const state = newSecret(24)
  await store.query(
    `insert into akit_flow_states (state_hash, session_hash, kind, return_to, expires_at) values ($1, $2, $3, $4, $5)`,
    [hashSecret(state), sessionHash, kind, returnTo, new Date(Date.now() + FLOW_TTL_MS)],
  )
  return state
}

/** Takes a flow's state back (once): the session it belongs to and where to go next. */
export async function finishFlow(
  store: Store,
  state: unknown,
  kind: FlowKind,
): Promise<{ sessionHash: string; returnTo: string } | undefined> {
  if (typeof state !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(state)) return undefined
  const rows = await store.query<{ session_hash: string; return_to: string }>(
    `delete from akit_flow_states where state_hash = $1 and kind = $2 and expires_at > now()
     returning session_hash, return_to`,
    [hashSecret(state), kind],
  )
  const row = rows[0]
  return row ? { sessionHash: row.session_hash, returnTo: row.return_to } : undefined
}

/** Drops expired sessions and flows (run now and then). */
export async function sweepExpired(store: Store): Promise<void> {
  await store.query('delete from akit_flow_states where expires_at < now()')
  await store.query('delete from akit_sessions where expires_at < now()')
}
