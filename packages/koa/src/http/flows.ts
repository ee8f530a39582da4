import { insertFlowState, takeFlowState } from '../repositories/flow-states.js'
import type { Store } from '../store/types.js'
import { hashSecret, newSecret } from './secrets.js'

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
  await insertFlowState(store, {
    stateHash: hashSecret(state),
    sessionHash,
    kind,
    returnTo,
    expiresAt: new Date(Date.now() + FLOW_TTL_MS),
  })
  return state
}

/** Takes a flow's state back (once): the session it belongs to and where to go next. */
export async function finishFlow(
  store: Store,
  state: unknown,
  kind: FlowKind,
): Promise<{ sessionHash: string; returnTo: string } | undefined> {
  if (typeof state !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(state)) return undefined
  return takeFlowState(store, hashSecret(state), kind)
}
