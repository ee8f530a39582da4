// `pnpm bench`: SSE fan-out. 1,000 buyers keep their order's status stream open on one BFF
// instance (its own process); Alipay's notifications then pay the orders, and each buyer's clock
// runs from the moment its notification is sent to the BFF until the "paid" event reaches it
// (so the figure includes verifying, committing, NOTIFY/LISTEN and the write to the stream).
// Prints p50/p95/max of that latency (target p95 ≤ 100 ms on loopback) and memory per open stream
// (heap after GC with the streams open, less before; RSS is printed whole, its delta is noise).
// Sizes: SSE_STREAMS (1000), SSE_RATE notifications/s in the paced round (200).
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateCredentials } from '@alipay-kit/sandbox'
import { startBffProcess } from '../reliability/processes.mjs'
import { createDatabase } from '../reliability/world.mjs'
import { createOrders, paidNotification } from './bench-orders.mjs'

const STREAMS = Number(process.env.SSE_STREAMS ?? 1_000)
const RATE = Number(process.env.SSE_RATE ?? 200)
const ADMIN_URL = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const credentials = generateCredentials()

/** Opens one order's status stream; calls `onStatus(view)` for every status event. */
function openStream(url, order, onStatus) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/orders/${order.id}/events?token=${order.token}`,
      { agent: false, headers: { accept: 'text/event-stream' } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream: ${res.statusCode}`))
        res.setEncoding('utf8')
        let buffer = ''
        res.on('data', (chunk) => {
          buffer += chunk
          let end = buffer.indexOf('\n\n')
          while (end >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const data = block.split('\n').find((line) => line.startsWith('data: '))
            if (block.startsWith('event: status') && data) onStatus(JSON.parse(data.slice(6)))
            end = buffer.indexOf('\n\n')
          }
        })
        res.on('error', () => {})
        resolve({ close: () => req.destroy() })
      },
    )
    req.on('error', reject)
    req.end()
  })
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** One round: STREAMS fresh orders, a stream open on each, then their notifications sent. */
async function round(bff, label, send) {
  const orders = await createOrders(bff.url, STREAMS)
  const before = await bff.memory()
  const paidAt = new Map()
  const waiters = new Map()
  let opened = 0
  const streams = []
  // Opened 100 at a time, each counted once its first status event (the current state) arrives.
  for (let i = 0; i < orders.length; i += 100) {
    await Promise.all(
      orders.slice(i, i + 100).map(async (order) => {
        let resolveFirst
        const first = new Promise((resolve) => {
          resolveFirst = resolve
        })
        const stream = await openStream(bff.url, order, (view) => {
          resolveFirst()
          if (view.paid && !paidAt.has(order.id)) {
            paidAt.set(order.id, performance.now())
            waiters.get(order.id)?.()
          }
        })
        streams.push(stream)
        await first
        opened++
      }),
    )
  }
  const during = await bff.memory()
  const perStreamKb = (during.heapUsed - before.heapUsed) / STREAMS / 1024
  const latencies = []
  const notifyAnswers = {}
  const started = performance.now()
  await send(orders, async (order, i) => {
    const delivered = new Promise((resolve) => {
      if (paidAt.has(order.id)) resolve()
      else waiters.set(order.id, resolve)
    })
    const sentAt = performance.now()
    const response = await fetch(`${bff.url}/alipay/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: paidNotification(credentials, order.id, i, 'sse-bench'),
    })
    const answer = `${response.status} ${await response.text()}`
    notifyAnswers[answer] = (notifyAnswers[answer] ?? 0) + 1
    await Promise.race([delivered, new Promise((resolve) => setTimeout(resolve, 10_000))])
    latencies.push(paidAt.has(order.id) ? paidAt.get(order.id) - sentAt : Number.POSITIVE_INFINITY)
  })
  const seconds = (performance.now() - started) / 1000
  for (const stream of streams) stream.close()
  latencies.sort((a, b) => a - b)
  const missed = latencies.filter((ms) => !Number.isFinite(ms)).length
  const after = await bff.memory()
  return {
    label,
    streams: opened,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    missed,
    notifyAnswers,
    perStreamKb,
    rssMb: during.rss / 2 ** 20,
    eventLoopDelayP99Ms: after.eventLoopDelayP99Ms,
  }
}

/** Sends at a steady RATE per second, each notification on its own. */
const paced = async (orders, sendOne) => {
  const gap = 1000 / RATE
  const start = performance.now()
  await Promise.all(
    orders.map(async (order, i) => {
      const wait = start + i * gap - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      await sendOne(order, i)
    }),
  )
}

/** Sends everything at once, 32 in flight (a burst, as when Alipay catches up after an outage). */
const burst = async (orders, sendOne) => {
  let next = 0
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < orders.length) {
        const i = next++
        await sendOne(orders[i], STREAMS + i)
      }
    }),
  )
}

async function measureOn(storeLabel, store) {
  const bff = await startBffProcess({
    store,
    credentials,
    sandboxUrl: 'http://127.0.0.1:9', // never called: the notifications come from this script
  })
  try {
    const rows = []
    rows.push({ store: storeLabel, ...(await round(bff, `paced ${RATE}/s`, paced)) })
    rows.push({ store: storeLabel, ...(await round(bff, 'burst, 32 in flight', burst)) })
    return rows
  } finally {
    await bff.kill('SIGTERM')
  }
}

console.log(`\n@alipay-kit/koa: SSE fan-out, ${STREAMS} open status streams on one instance`)
const rows = []
const pglite = mkdtempSync(join(tmpdir(), 'akit-sse-bench-'))
try {
  rows.push(...(await measureOn('PGlite', join(pglite, 'db'))))
} finally {
  rmSync(pglite, { recursive: true, force: true })
}
let database
try {
  database = await createDatabase(ADMIN_URL, 'akit_ssebench')
} catch (error) {
  console.log(`  PostgreSQL not measured: ${error.message}`)
}
if (database) {
  try {
    rows.push(...(await measureOn('PostgreSQL', database.url)))
  } finally {
    await database.drop()
  }
}

const ms = (value) => (Number.isFinite(value) ? Math.round(value * 10) / 10 : 'missed')
console.table(
  rows.map((r) => ({
    store: r.store,
    notifications: r.label,
    'streams open': r.streams,
    s: Math.round(r.seconds * 10) / 10,
    'p50 ms': ms(r.p50),
    'p95 ms': ms(r.p95),
    'p99 ms': ms(r.p99),
    'max ms': ms(r.max),
    missed: r.missed,
    'heap/stream KB': Math.round(r.perStreamKb * 10) / 10,
    'RSS MB, streams open': Math.round(r.rssMb),
  })),
)
for (const r of rows)
  console.log(
    `  ${r.store}, ${r.label}: notify answers ${JSON.stringify(r.notifyAnswers)}; p95 ${ms(r.p95)} ms ${r.label.startsWith('paced') ? (r.p95 <= 100 ? '(target ≤ 100 ms met)' : '(target ≤ 100 ms NOT met)') : '(no target: a burst queues)'}`,
  )
const failed = rows.some(
  (r) => r.missed > 0 || r.streams !== STREAMS || (r.label.startsWith('paced') && r.p95 > 100),
)
process.exit(failed ? 1 : 0)
