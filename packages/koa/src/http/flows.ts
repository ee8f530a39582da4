import {
  insertFlowState,
  peekFlowState,
  type TakenFlow,
  takeFlowState,
} from '../repositories/flow-states.js'
import type { Store } from '../store/types.js'
import { hashSecret, newSecret } from './secrets.js'

/** Login and address choices must come back within this long. */
const FLOW_TTL_MS = 30 * 60_000

/** `etao_login`: a login etao started, waiting for the buyer to confirm it (routes/login.ts). */
export type FlowKind = 'quick_login' | 'oauth' | 'address' | 'etao_login'

/**
 * A CSRF state for a round trip through Alipay, bound to the session that started it. It travels
 * in the return URL's path (Alipay refuses return URLs with a query string) and is good once.
 */
export async function startFlow(
  store: Store,
  sessionHash: string,
  kind: FlowKind,
  returnTo: string,
  data?: unknown,
): Promise<string> {
  const state = newSecret(24)
  await insertFlowState(store, {
    stateHash: hashSecret(state),
    sessionHash,
    kind,
    returnTo,
    expiresAt: new Date(Date.now() + FLOW_TTL_MS),
    data,
  })
  return state
}

const stateShape = (state: unknown): state is string =>
  typeof state === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(state)

/** Takes a flow's state back (once): the session it belongs to and where to go next. */
export async function finishFlow(
  store: Store,
  state: unknown,
  kind: FlowKind,
): Promise<TakenFlow | undefined> {
  if (!stateShape(state)) return undefined
  return takeFlowState(store, hashSecret(state), kind)
}

/** A flow's state read without taking it (the page that asks the buyer before it goes on). */
export async function peekFlow(
  store: Store,
  state: unknown,
  kind: FlowKind,
): Promise<TakenFlow | undefined> {
  if (!stateShape(state)) return undefined
  return peekFlowState(store, hashSecret(state), kind)
}
