import { createHash } from 'node:crypto'
import type { Context } from 'koa'
import type { KitContext } from '../context.js'
import {
  claimIdempotencyKey,
  releaseIdempotencyKey,
  saveIdempotentAnswer,
} from '../repositories/idempotency-keys.js'
import { ApiError } from './errors.js'

/** A key is held this long by the request using it; then a retry may take it over. */
const LOCK_MS = 60_000
const KEY = /^[\x21-\x7e]{1,255}$/

/** What a state-changing merchant call knows of its key, if the caller sent one. */
export interface IdempotencyKey {
  readonly key: string
  /** When the key was first used: a refund's request number is derived from both. */
  readonly firstUsedAt: Date
}

/**
 * Runs a state-changing merchant call once per `Idempotency-Key` (koa README, "Merchant API"):
 * the same key with the same request answers the first answer and does nothing again; with
 * another request it is refused (422); while the first is still running, 409 with Retry-After.
 * Keys live in the store, shared by all instances, for 48 hours. An answer that says nothing
 * happened for sure (a 4xx, or Alipay's refusal of a refund) is kept like a success; one that
 * leaves the outcome unknown (Alipay unreachable or busy, a store outage) lets the next retry run
 * again, with the same request number, so Alipay dedupes it.
 */
export async function idempotent(
  kit: KitContext,
  ctx: Context,
  request: { readonly route: string; readonly target: string; readonly input: unknown },
  run: (key: IdempotencyKey | undefined) => Promise<unknown>,
): Promise<void> {
  const key = ctx.get('idempotency-key')
  if (!key) {
    ctx.body = await run(undefined)
    return
  }
  if (!KEY.test(key))
    throw new ApiError(
      400,
      'INVALID_INPUT',
      'Idempotency-Key must be 1 to 255 printable ASCII characters, e.g. a UUID',
      'Idempotency-Key',
    )
  const fingerprint = createHash('sha256')
    .update(`${request.route}\n${request.target}\n${JSON.stringify(request.input ?? {})}`)
    .digest('base64url')
  const row = await claimIdempotencyKey(kit.store, key, fingerprint, LOCK_MS)
  if (row.fingerprint !== fingerprint)
    throw new ApiError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      `Idempotency-Key ${key} was first used for another request (another route, order or body): use a new key for a new request`,
    )
  if (!row.claimed) {
    if (row.status === null) {
      ctx.set('Retry-After', '1')
      throw new ApiError(
        409,
        'IDEMPOTENCY_KEY_IN_USE',
        `A request with Idempotency-Key ${key} is still being handled: retry in a moment`,
      )
    }
    ctx.set('Idempotent-Replayed', 'true')
    if (row.status >= 400) {
      const error = row.response as { code: string; message: string; field?: string }
      throw new ApiError(row.status, error.code, error.message, error.field)
    }
    ctx.status = row.status
    ctx.body = row.response
    return
  }
  try {
    const body = await run({ key, firstUsedAt: new Date(row.created_at) })
    await saveIdempotentAnswer(kit.store, key, 200, body)
    ctx.body = body
  } catch (error) {
    if (error instanceof ApiError && error.final)
      await saveIdempotentAnswer(kit.store, key, error.status, {
        code: error.code,
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
      })
    else await releaseIdempotencyKey(kit.store, key).catch(() => {})
    throw error
  }
}

/**
 * The request number of a refund made under an idempotency key: the same key gives the same
 * number (Alipay's out_request_no / batch_no), so a retry Alipay already took is deduped there too.
 */
export function requestNoFromKey(key: IdempotencyKey): string {
  return `K${createHash('sha256').update(key.key).digest('hex').slice(0, 15)}`
}
