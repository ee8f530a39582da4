// A merchant's webhook receiver for the reliability suite and the bench: a real HTTP server
// that verifies every delivery with verifyWebhook (as a merchant's system would), answers 200,
// and records each event with when it arrived. Receivers dedupe on the event id; `events` keeps
// every receipt so duplicates can be counted.
import { createServer } from 'node:http'
import { verifyWebhook } from '@alipay-kit/client'

export const RECEIVER_SECRET = 'reliability-webhook-secret-0123456789'

export async function startWebhookReceiver({ secret = RECEIVER_SECRET } = {}) {
  /** Every receipt: { event, at } (at: performance.timeOrigin + now, in ms). */
  const events = []
  /** Deliveries that failed verification, with why. */
  const refused = []
  const waiters = new Set()
  const server = createServer(async (request, response) => {
    const chunks = []
    for await (const chunk of request) chunks.push(chunk)
    try {
      const event = await verifyWebhook(
        Buffer.concat(chunks),
        request.headers['alipay-kit-signature'],
        secret,
      )
      events.push({ event, at: performance.timeOrigin + performance.now() })
      response.writeHead(200).end('ok')
      for (const waiter of waiters) waiter()
    } catch (error) {
      refused.push(error.message)
      response.writeHead(400).end('bad signature')
    }
  })
  server.keepAliveTimeout = 30_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/alipay-kit`,
    secret,
    events,
    refused,
    /** Resolves once `test()` holds (checked at each receipt), or false at the deadline. */
    until(test, timeoutMs = 30_000) {
      return new Promise((resolve) => {
        if (test()) return resolve(true)
        const timer = setTimeout(() => {
          waiters.delete(check)
          resolve(false)
        }, timeoutMs)
        const check = () => {
          if (!test()) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(true)
        }
        waiters.add(check)
      })
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
