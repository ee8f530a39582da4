// `pnpm bench`: the rate limits under a mixed load (bench/RESULTS.md, "Abuse"). One BFF with its
// default limits, behind a trusted proxy so that every simulated buyer has an address of its own
// (X-Forwarded-For). 100 buyers browse (the session every second), create an order every 8 s and
// read it, hold 1,000 status streams between them, and each order is paid by a genuine
// notification. Phases in turn, round after round: that load alone, then the same load with one
// client flooding order creation from one address (autocannon, 16 connections, in a process of
// its own). Prints the buyers' latency in each phase, the flood's answers, and the notifications'.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { startServerProcess } from './server-process.mjs'
import { pemKeyPair, signedOpenNotification } from './signed-notification.mjs'

const PHASE_S = Number(process.env.BENCH_PHASE_SECONDS ?? 15)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2)
const BUYERS = Number(process.env.BENCH_BUYERS ?? 100)
const STREAMS_EACH = 10
const PG_ADMIN = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const here = fileURLToPath(new URL('.', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'akit-abuse-'))
const run = Date.now().toString(36)

const app = pemKeyPair()
const alipay = pemKeyPair()
const appId = '2021000000000043'
const fixtureFile = join(work, 'fixture.json')
writeFileSync(
  fixtureFile,
  JSON.stringify({ appId, appPrivateKey: app.privateKey, alipayPublicKey: alipay.publicKey }),
)

let location = join(work, 'pglite')
let database
try {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 })
  await admin.connect()
  database = `akit_abuse_${run}`
  await admin.query(`create database ${database}`)
  await admin.end()
  const url = new URL(PG_ADMIN)
  url.pathname = `/${database}`
  location = url.toString()
} catch (error) {
  console.log(`  PostgreSQL not reachable (${error.message}): on PGlite`)
}

const server = await startServerProcess(join(here, 'abuse-server.mjs'), [location, fixtureFile])
const base = server.url
console.log(
  `\n@alipay-kit/koa: rate limits under a mixed load, ${BUYERS} buyers, ${BUYERS * STREAMS_EACH} status streams, ${PHASE_S} s phases, ${ROUNDS} rounds, on ${database ? 'PostgreSQL' : 'PGlite'}`,
)

/** A buyer: an address of its own, a session cookie, its orders. */
function buyer(i) {
  const ip = `198.51.${100 + Math.floor(i / 250)}.${(i % 250) + 1}`
  const headers = { 'x-forwarded-for': ip, 'x-alipay-kit': '1', 'content-type': 'application/json' }
  return { ip, headers, orders: [] }
}
const buyers = Array.from({ length: BUYERS }, (_, i) => buyer(i))

let phase = 'setup'
const latencies = new Map() // phase → ms[]
const statuses = new Map() // phase → { status: count }
function record(kind, ms, status, at = phase) {
  const key = `${at}`
  if (!latencies.has(key)) latencies.set(key, [])
  if (!statuses.has(key)) statuses.set(key, {})
  if (kind === 'buyer') latencies.get(key).push(ms)
  const s = statuses.get(key)
  s[`${kind} ${status}`] = (s[`${kind} ${status}`] ?? 0) + 1
}

async function timed(kind, path, init) {
  const at = phase // a request counts in the phase it was sent in
  const started = performance.now()
  const response = await fetch(`${base}${path}`, init)
  const body = await response.text()
  record(kind, performance.now() - started, response.status, at)
  return { status: response.status, body, headers: response.headers }
}

async function createOrder(b) {
  const answer = await timed('buyer', '/api/orders', {
    method: 'POST',
    headers: b.headers,
    body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }], service: 'page' }),
  })
  if (answer.status !== 201) return undefined
  const id = JSON.parse(answer.body).order.id
  b.orders.push(id)
  return id
}

let notifyCount = 0
async function pay(id) {
  notifyCount++
  const body = signedOpenNotification(
    {
      app_id: appId,
      charset: 'utf-8',
      notify_id: `abuse-${id}`,
      notify_time: '2026-12-02 10:00:00',
      notify_type: 'trade_status_sync',
      out_trade_no: id,
      total_amount: '1.00',
      trade_no: `2026120222${String(notifyCount).padStart(14, '0')}`,
      trade_status: 'TRADE_SUCCESS',
      version: '1.0',
    },
    alipay.privateKey,
  )
  const answer = await timed('notify', '/alipay/notify', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  })
  if (answer.body !== 'success') record('notify-refused', 0, answer.status)
}

// Set-up: a session (a cart with something in it: an empty one keeps none) and a first order for
// each buyer, and its status streams.
for (const b of buyers) {
  const cart = await fetch(`${base}/api/cart`, {
    method: 'PUT',
    headers: b.headers,
    body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }] }),
  })
  b.headers.cookie = (cart.headers.get('set-cookie') ?? '').split(';')[0]
  await createOrder(b)
}
const controllers = []
let events = 0
let openStreams = 0
for (const b of buyers) {
  for (let s = 0; s < STREAMS_EACH; s++) {
    const controller = new AbortController()
    controllers.push(controller)
    const response = await fetch(`${base}/api/orders/${b.orders[0]}/events`, {
      headers: { ...b.headers, accept: 'text/event-stream' },
      signal: controller.signal,
    })
    if (response.status !== 200) throw new Error(`stream refused: ${response.status}`)
    openStreams++
    ;(async () => {
      try {
        const decoder = new TextDecoder()
        const reader = response.body.getReader()
        for (;;) {
          const { value, done } = await reader.read()
          if (done) break
          events += decoder.decode(value, { stream: true }).split('event: status').length - 1
        }
      } catch {}
    })()
  }
}
console.log(`  set-up: ${buyers.length} sessions, ${openStreams} status streams open`)

/** Each buyer: the session every second, an order every 8 s (read back, then paid). */
async function browse(b, until) {
  let nextOrder = performance.now() + Math.random() * 8000
  while (performance.now() < until) {
    await timed('buyer', '/api/session', { headers: b.headers })
    if (performance.now() >= nextOrder) {
      nextOrder += 8000
      const id = await createOrder(b)
      if (id) {
        await timed('buyer', `/api/orders/${id}`, { headers: b.headers })
        await pay(id)
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 800 + Math.random() * 400))
  }
}

/**
 * The abusive client: order creation as fast as 16 connections go, from one address, in a process
 * of its own started once, before the phases (its start-up, a second of CPU, would otherwise land
 * in the phase it floods). `flood(seconds)` runs it and resolves to its answers.
 */
const flooder = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `
    import autocannon from 'autocannon'
    import { createInterface } from 'node:readline'
    console.log('READY')
    for await (const line of createInterface({ input: process.stdin })) {
      const result = await autocannon({
        url: ${JSON.stringify(base)}, connections: 16, duration: Number(line),
        requests: [{ method: 'POST', path: '/api/orders',
          headers: { 'x-forwarded-for': '203.0.113.66', 'x-alipay-kit': '1', 'content-type': 'application/json' },
          body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }], service: 'page' }) }],
      })
      console.log(JSON.stringify({ total: result.requests.total, statuses: result.statusCodeStats }))
    }`,
  ],
  { cwd: here, stdio: ['pipe', 'pipe', 'inherit'] },
)
const flooderLines = createInterface({ input: flooder.stdout })[Symbol.asyncIterator]()
const nextFlooderLine = async () => {
  const { value, done } = await flooderLines.next()
  if (done) throw new Error('the flooding process ended')
  return value
}
if ((await nextFlooderLine()) !== 'READY') throw new Error('the flooding process did not start')
async function flood(seconds) {
  flooder.stdin.write(`${seconds}\n`)
  return JSON.parse(await nextFlooderLine())
}

// The buyers browse from the warm-up (not counted: the first seconds of a fresh process, JIT and
// pools, are no phase's fault) to the end, each starting at a moment of its own in the first
// second, while the phases change around them. Started afresh in each phase, their first requests
// all came at once, and each phase's p99 was that burst's (as long in both phases), not the flood.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const WARM_UP_MS = 8000
phase = 'warm-up'
const end = performance.now() + WARM_UP_MS + ROUNDS * 2 * (PHASE_S + 1) * 1000
const browsing = Promise.all(
  buyers.map(async (b) => {
    await sleep(Math.random() * 1000)
    await browse(b, end)
  }),
)
await sleep(WARM_UP_MS)
const floods = []
for (let round = 1; round <= ROUNDS; round++) {
  for (const name of ['quiet', 'abused']) {
    phase = `${name} ${round}`
    const flooding = name === 'abused' ? flood(PHASE_S) : undefined
    await sleep(PHASE_S * 1000)
    if (flooding) floods.push({ round, ...(await flooding) })
  }
}
phase = 'done'
await browsing

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0
}
console.log('\n  phase        buyer requests   p50 ms   p99 ms   answers')
const p99s = {}
for (const [key, values] of latencies) {
  if (key === 'setup' || key === 'warm-up' || key === 'done') continue
  p99s[key] = percentile(values, 99)
  console.log(
    `  ${key.padEnd(12)} ${String(values.length).padStart(14)} ${percentile(values, 50).toFixed(1).padStart(8)} ${p99s[key].toFixed(1).padStart(8)}   ${JSON.stringify(statuses.get(key))}`,
  )
}
for (const f of floods)
  console.log(
    `  flood, round ${f.round}: ${f.total} order requests from one address: ${Object.entries(
      f.statuses,
    )
      .map(([status, { count }]) => `${count} × ${status}`)
      .join(', ')}`,
  )
const ratios = []
for (let round = 1; round <= ROUNDS; round++)
  ratios.push(p99s[`abused ${round}`] / p99s[`quiet ${round}`])
console.log(
  `  buyers' p99 with the flood / without, per round: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')} (target ≤ 2×)`,
)
const refused = [...statuses.values()].reduce(
  (n, s) =>
    n +
    Object.entries(s)
      .filter(
        ([k]) => k.startsWith('notify-refused') || (k.startsWith('notify') && !k.endsWith(' 200')),
      )
      .reduce((m, [, v]) => m + v, 0),
  0,
)
console.log(
  `  notifications: ${notifyCount} sent, ${refused} not answered success; status events received on the streams: ${events}`,
)

for (const controller of controllers) controller.abort()
flooder.stdin.end()
await server.stop()
if (database)
  try {
    execFileSync(
      'psql',
      [PG_ADMIN, '-q', '-c', `drop database if exists ${database} with (force)`],
      {
        stdio: 'ignore',
      },
    )
  } catch {}
rmSync(work, { recursive: true, force: true })
if (refused > 0 || floods.some((f) => !f.statuses[429])) process.exitCode = 1
