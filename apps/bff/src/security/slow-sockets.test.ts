import { connect, type Socket } from 'node:net'
import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import { openEventStream, SAMPLE_ADDRESS, Shopper, testPgliteDir } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'
import { type RunningBff, startBff } from '../server.js'

/*
 * Issue 25: one client could hold hundreds of slow sockets for 300 s (Node's requestTimeout; its
 * headers timeout was 60 s, checked every 30 s). The server now gives a request's headers
 * HTTP_HEADERS_TIMEOUT_MS and the whole request HTTP_REQUEST_TIMEOUT_MS (408, closed), and caps the
 * sockets one address holds open at MAX_CONNECTIONS_PER_ADDRESS (extra ones are closed as they
 * are accepted). Over real sockets, with short timeouts and a small cap.
 */

const CAP = 8
let sandbox: RunningSandbox
let bff: RunningBff
const dirs: Array<Awaited<ReturnType<typeof testPgliteDir>>> = []
beforeAll(async () => {
  sandbox = await startSandbox()
  const dir = await testPgliteDir()
  dirs.push(dir)
  bff = await startBff(
    parseEnv({
      PORT: '0',
      ALIPAY_SANDBOX_URL: sandbox.url,
      PGLITE_DIR: dir.dir,
      LOG_LEVEL: 'silent',
      HTTP_HEADERS_TIMEOUT_MS: '600',
      HTTP_REQUEST_TIMEOUT_MS: '1200',
      MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
    }),
  )
})
afterAll(async () => {
  await bff?.close()
  await sandbox?.close()
  for (const dir of dirs) dir.remove()
})

/** A socket to the BFF that sends `text` and then nothing: what it hears, and when it is closed. */
async function slowSocket(text: string) {
  const { port } = new URL(bff.url)
  const socket: Socket = connect(Number(port), '127.0.0.1')
  let heard = ''
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    heard += chunk
  })
  socket.on('error', () => {})
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(heard)))
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()))
  socket.write(text)
  return { socket, closed, open: () => !socket.destroyed }
}

const PARTIAL_HEADERS = 'GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '

describe('slow sockets from one address', () => {
  it('past the cap, sockets are closed as they are accepted; the held ones end with 408', async () => {
    const held = []
    for (let i = 0; i < CAP; i++) held.push(await slowSocket(PARTIAL_HEADERS))
    const extra = []
    for (let i = 0; i < 4; i++) extra.push(await slowSocket(PARTIAL_HEADERS))
    // Closed without a word: the server never read from them.
    expect(await Promise.all(extra.map((s) => s.closed))).toEqual(['', '', '', ''])
    // Accepted in order, so the first CAP were taken: still open, waiting for their headers.
    expect(held.map((s) => s.open())).toEqual(Array(CAP).fill(true))
    // The headers never complete: each is answered 408 and closed.
    for (const heard of await Promise.all(held.map((s) => s.closed)))
      expect(heard).toMatch(/^HTTP\/1\.1 408 /)
    // Their places are free again: the same address is served.
    await expect.poll(async () => (await fetch(`${bff.url}/api/session`)).status).toBe(200)
  })

  it('a request whose body never completes is answered 408 and closed at the request timeout', async () => {
    const slow = await slowSocket(
      'PUT /api/cart HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Alipay-Kit: 1\r\nContent-Length: 100\r\n\r\n{"items":',
    )
    expect(await slow.closed).toMatch(/^HTTP\/1\.1 408 /)
  })

  it('a status stream outlives the request timeout: it bounds receiving the request, not the answer', async () => {
    const buyer = new Shopper(bff.url)
    const created = await buyer.order(
      'page',
      [{ sku: 'longjing-250g', quantity: 1 }],
      SAMPLE_ADDRESS,
    )
    const stream = await openEventStream(`${bff.url}/api/orders/${created.order.id}/events`, {
      cookie: buyer.cookie,
    })
    try {
      await stream.next((event) => event.phase === 'waiting')
      // Well past the request timeout (1.2 s) and several of the server's checks.
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      await buyer.payAtSimulator(sandbox, created)
      // The same stream still carries the change.
      expect(await stream.next((event) => event.paid === true)).toMatchObject({ paid: true })
    } finally {
      await stream.close()
    }
  })
})
