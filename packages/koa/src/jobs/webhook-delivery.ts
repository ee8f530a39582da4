import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '@alipay-kit/client'
import type { KitContext } from '../context.js'
import { toOrderEvent } from '../merchant/order-event.js'
import { redactUrl } from '../merchant/webhook-url.js'
import {
  type ClaimedDelivery,
  claimWebhookDeliveries,
  recordWebhookAttempts,
  type WebhookAttempt,
} from '../repositories/webhook-deliveries.js'
import type { Job } from './job.js'

const CLAIM_BATCH = 50
const PARALLEL = 8
const TIMEOUT_MS = 10_000
/**
 * A claimed batch stays this instance's while it is sent, even if every try takes its whole
 * timeout (ceil(50 / 8) rounds of 10 s), and its outcomes are written: no other instance can
 * send one of its events meanwhile.
 */
const LEASE_MS = Math.ceil(CLAIM_BATCH / PARALLEL) * TIMEOUT_MS + 30_000
/** A try is not started unless its whole timeout fits in what is left of the lease. */
const START_BEFORE_MS = LEASE_MS - TIMEOUT_MS - 5_000
/** The first retry after 10 s, doubling to at most an hour, ±20 % jitter. */
const FIRST_RETRY_MS = 10_000
const MAX_RETRY_MS = 3_600_000

/** When a delivery that failed `attempts` times is tried again. */
export function webhookRetryAt(now: number, attempts: number, random = Math.random): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS)
  return now + Math.round(base * (0.8 + 0.4 * random()))
}

/**
 * Webhook delivery (koa README, "Webhooks"): POSTs each order event to each URL, signed
 * (docs/webhooks.md), from the outbox written with the transition; a 2xx ends it; anything else
 * is retried with backoff until `webhooks.retryForMs` after the event. Every try is logged and
 * kept on the delivery (attempts, last status, last error). A queue job: instances share it.
 * Deliveries are claimed 50 at a time with their orders, sent 8 at once, and the batch's
 * outcomes written in one statement.
 */
export function webhookDeliveryJob(everyMs: number): Job {
  return {
    name: 'webhook-delivery',
    everyMs,
    scope: 'queue',
    async run(kit) {
      if (kit.config.webhooks.urls.length === 0) return 0
      let done = 0
      for (;;) {
        const claimedAt = kit.config.clock()
        const claimed = await claimWebhookDeliveries(
          kit.store,
          new Date(claimedAt),
          LEASE_MS,
          CLAIM_BATCH,
        )
        const outcomes: WebhookAttempt[] = []
        let cursor = 0
        const worker = async () => {
          for (let row = claimed[cursor++]; row; row = claimed[cursor++]) {
            // Left unsent (its lease runs out and it is claimed again) rather than risk
            // another instance sending it at the same time.
            if (kit.config.clock() - claimedAt > START_BEFORE_MS) continue
            outcomes.push(await deliver(kit, row))
            done++
          }
        }
        await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, worker))
        await recordWebhookAttempts(kit.store, outcomes)
        if (claimed.length < CLAIM_BATCH) return done
      }
    },
  }
}

async function deliver(kit: KitContext, row: ClaimedDelivery): Promise<WebhookAttempt> {
  const event = toOrderEvent(
    { orderId: row.order_id, key: row.event_key, event: row.event, createdAt: row.created_at },
    row.order,
  )
  const body = JSON.stringify(event)
  let status: number | null = null
  let error: string | null = null
  try {
    const response = await kit.config.fetch(row.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [WEBHOOK_SIGNATURE_HEADER]: await signWebhook(
          body,
          kit.config.webhooks.secret,
          Math.floor(kit.config.clock() / 1000),
        ),
        'idempotency-key': event.id,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    status = response.status
    await response.arrayBuffer().catch(() => undefined)
  } catch (caught) {
    // fetch says only "fetch failed"; its cause says what (refused, reset, timed out…).
    const cause = (caught as { cause?: { code?: string; message?: string } }).cause
    const why = cause?.code ?? cause?.message
    error = `${(caught as Error).message ?? String(caught)}${why ? `: ${why}` : ''}`.slice(0, 300)
  }
  const now = kit.config.clock()
  const delivered = status !== null && status >= 200 && status < 300
  const expired = now - new Date(row.created_at).getTime() >= kit.config.webhooks.retryForMs
  const state = delivered ? 'delivered' : expired ? 'failed' : 'pending'
  const outcome: WebhookAttempt = {
    id: row.id,
    state,
    status,
    error: delivered ? null : (error ?? `HTTP ${status}`),
    nextAt: new Date(delivered || expired ? now : webhookRetryAt(now, row.attempts + 1)),
    at: new Date(now),
  }
  const log = kit.config.logger
  const fields = {
    webhook: {
      id: row.id,
      event: event.id,
      url: redactUrl(row.url), // the query may hold the receiver's token
      attempt: row.attempts + 1,
      status,
      state,
    },
  }
  if (delivered) log.info(fields, 'webhook delivered')
  else log.warn({ ...fields, err: { message: error ?? `HTTP ${status}` } }, 'webhook not accepted')
  return outcome
}
