import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One notification as the merchant received it: raw bytes and headers. */
export interface Received {
  readonly body: Buffer
  readonly contentType: string | undefined
  readonly at: number
}

/**
 * A merchant's notify endpoint on a real socket, recording every delivery and answering as told
 * ('success', 'fail', or whatever the function returns).
 */
export async function startMerchant(
  answer: string | ((request: Received, index: number) => string) = 'success',
) {
  const received: Received[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const entry = {
      body: Buffer.concat(chunks),
      contentType: request.headers['content-type'],
      at: Date.now(),
    }
    received.push(entry)
    response.end(typeof answer === 'string' ? answer : answer(entry, received.length - 1))
    for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    notifyUrl: `http://127.0.0.1:${port}/alipay/notify`,
    returnUrl: `http://127.0.0.1:${port}/alipay/return`,
    received,
    /** Resolves once `count` notifications have arrived (rejects after 5 s). */
    waitFor(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} notifications, got ${received.length}`)),
          5000,
        )
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
