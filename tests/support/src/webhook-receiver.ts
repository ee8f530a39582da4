import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook, type WebhookEvent } from '@alipay-kit/client'

export const WEBHOOK_SECRET = 'webhook-secret-for-tests-0123456789'

/** What the receiver does with the next request. */
export type ReceiverMode = 'ok' | 'down' | 'hang-up'

/**
 * A merchant's webhook receiver on a real port, verifying every delivery with verifyWebhook as
 * a merchant's system would. `mode`: `ok` records and answers 200; `down` answers 503;
 * `hang-up` reads the delivery and drops the connection without an answer (the receiver dying
 * mid-delivery). `delayMs` holds each answer; `maxInFlight` is the most deliveries of one event
 * id it ever held at once.
 */
export async function startWebhookReceiver(options: { secret?: string } = {}) {
  const secret = options.secret ?? WEBHOOK_SECRET
  const received: Array<{ event: WebhookEvent; at: number }> = []
  /** Every delivery as it came: the exact body and its signature header. */
  const raw: Array<{ body: string; signature: string }> = []
  /** Event ids of deliveries cut off by `hang-up`. */
  const cut: string[] = []
  const refused: string[] = []
  const inFlight = new Map<string, number>()
  const state = {
    mode: 'ok' as ReceiverMode,
    delayMs: 0,
    maxInFlight: 0,
    now: () => Date.now(),
  }
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    raw.push({
      body: Buffer.concat(chunks).toString('utf8'),
      signature: String(request.headers['alipay-kit-signature']),
    })
    const mode = state.mode
    if (mode === 'down') {
      response.writeHead(503).end('down')
      return
    }
    let event: WebhookEvent
    try {
      event = await verifyWebhook(
        Buffer.concat(chunks),
        request.headers['alipay-kit-signature'] as string,
        secret,
        { nowSec: Math.floor(state.now() / 1000) },
      )
    } catch (error) {
      refused.push((error as Error).message)
      response.writeHead(400).end('bad signature')
      return
    }
    if (mode === 'hang-up') {
      cut.push(event.id)
      request.socket.destroy()
      return
    }
    const holding = (inFlight.get(event.id) ?? 0) + 1
    inFlight.set(event.id, holding)
    state.maxInFlight = Math.max(state.maxInFlight, holding)
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs))
    inFlight.set(event.id, holding - 1)
    received.push({ event, at: state.now() })
    response.writeHead(200).end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alipay-kit`,
    received,
    raw,
    cut,
    refused,
    state,
    /** The event ids received, each once (what a receiver that dedupes keeps). */
    ids: () => new Set(received.map((r) => r.event.id)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>
