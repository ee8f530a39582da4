import type { OrderView } from './contract.js'

/*
 * Webhook signatures (docs/webhooks.md): the BFF signs each event it POSTs to the merchant's
 * systems with HMAC-SHA256 over `<t>.<exact body>`, `t` the Unix time in seconds, and sends
 * `Alipay-Kit-Signature: t=<t>,v1=<hex>`. WebCrypto, so the same code runs in Node and browsers.
 */

/** The header the signature travels in. */
export const WEBHOOK_SIGNATURE_HEADER = 'Alipay-Kit-Signature'

/** An order event as a webhook delivers it. */
export interface WebhookEvent {
  /** Stable: the same event keeps its id across retries (dedupe on it). */
  readonly id: string
  /** `order.paid`, `order.shipped`, `order.refunded`, `order.review`… */
  readonly type: string
  /** When the event was committed (ISO). */
  readonly createdAt: string
  readonly order: OrderView
}

/** Which part of a webhook failed to verify. */
export type WebhookFailure = 'header' | 'timestamp' | 'signature' | 'body'

/** A webhook that must not be trusted: `part` says why (code WEBHOOK_INVALID). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError'
  readonly code = 'WEBHOOK_INVALID'
  constructor(
    readonly part: WebhookFailure,
    message: string,
  ) {
    super(message)
  }
}

const encoder = new TextEncoder()
/** Imported keys by secret (a process has one or two: the current and, while rotating, the next). */
const keys = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    if (keys.size >= 8) keys.clear()
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    keys.set(secret, key)
  }
  return key
}

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await hmacKey(secret)
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)))
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Compares two hex strings in time that does not depend on where they differ. */
function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const bodyText = (rawBody: string | Uint8Array) =>
  typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody)

/**
 * The signature header for a body (what the BFF sends; for tests of a receiver).
 *
 * @example
 * const header = await signWebhook(body, process.env.WEBHOOK_SECRET)
 */
export async function signWebhook(
  rawBody: string | Uint8Array,
  secret: string,
  timestampSec = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${timestampSec},v1=${await hmacHex(secret, `${timestampSec}.${bodyText(rawBody)}`)}`
}

/**
 * Verifies a webhook over its exact bytes (read the raw body: a parsed and re-serialised JSON is
 * not what was signed) and answers the event, or throws WebhookVerificationError naming the
 * part that failed: the header's format, a timestamp outside `toleranceSec` (default 300: an old
 * delivery replayed), or the signature (a wrong secret, a changed body).
 *
 * @example
 * const event = await verifyWebhook(rawBody, req.headers['alipay-kit-signature'], secret)
 * if (event.type === 'order.paid') await fulfil(event.order.id) // dedupe on event.id
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  options: { readonly toleranceSec?: number; readonly nowSec?: number } = {},
): Promise<WebhookEvent> {
  const parts = new Map<string, string[]>()
  for (const item of (header ?? '').split(',')) {
    const at = item.indexOf('=')
    if (at <= 0) continue
    const name = item.slice(0, at).trim()
    parts.set(name, [...(parts.get(name) ?? []), item.slice(at + 1).trim()])
  }
  const t = parts.get('t')?.[0]
  const signatures = parts.get('v1') ?? []
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0)
    throw new WebhookVerificationError(
      'header',
      `${WEBHOOK_SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<hex>; got ${JSON.stringify(header ?? '')}`,
    )
  const tolerance = options.toleranceSec ?? 300
  const now = options.nowSec ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - Number(t)) > tolerance)
    throw new WebhookVerificationError(
      'timestamp',
      `the signature's time ${t} is ${Math.abs(now - Number(t))} s from now, more than ${tolerance} s: an old delivery replayed, or a clock off`,
    )
  let text: string
  try {
    text = bodyText(rawBody)
  } catch {
    throw new WebhookVerificationError(
      'body',
      'the body is not UTF-8: pass the exact bytes received',
    )
  }
  const expected = await hmacHex(secret, `${t}.${text}`)
  if (!signatures.some((signature) => sameHex(signature.toLowerCase(), expected)))
    throw new WebhookVerificationError(
      'signature',
      'no v1 signature matches: a wrong secret, or a body changed on the way (verify the raw bytes)',
    )
  try {
    return JSON.parse(text) as WebhookEvent
  } catch {
    throw new WebhookVerificationError('body', 'the signed body is not JSON')
  }
}
