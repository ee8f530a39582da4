// Where the kit's CPU time goes per notification (bench/RESULTS.md, "Where the kit's time goes"):
// the notify bench's server for the kit, on PostgreSQL (or PGlite with PROFILE_STORE=pglite),
// warmed up, then profiled through the inspector during PROFILE_SECONDS of load at
// PROFILE_CONNECTIONS connections. Each sample is charged to the innermost frame of its stack that
// belongs to a category below, Node's own modules (node:…) standing for whoever called them: a
// socket write by the pg driver is the driver's, a response written by Koa is Koa's; what no
// library called (the HTTP parser, timers, microtask plumbing) is Node's. The figures are CPU µs
// per notification answered.
//
//   node packages/koa/bench/profile-notify.mjs      (after `npx -y pnpm@12.21.0 run build`)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import pg from 'pg'
import { createDatabase } from '../reliability/world.mjs'
import { writeNotifyFixture } from './notify-fixture.mjs'
import { startServerProcess } from './server-process.mjs'
import { pemKeyPair } from './signed-notification.mjs'

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 6)
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 16)
const STORE = process.env.PROFILE_STORE ?? 'postgres'
/** The notify bench's target to profile: bff (the kit), floor, ceiling, sdk, sdk-preparsed. */
const TARGET = process.env.PROFILE_TARGET ?? 'bff'
/** With PROFILE_TOP=n, also the n frames (function, file:line) charged the most. */
const TOP = Number(process.env.PROFILE_TOP ?? 0)
const ORDERS = Number(process.env.PROFILE_ORDERS ?? 40_000)
const PG_ADMIN = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const here = fileURLToPath(new URL('.', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'akit-profile-'))
const run = Date.now().toString(36)

/** What a frame belongs to (the first that matches). */
const CATEGORIES = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['(program): native code outside any JS frame', (f) => f.functionName === '(program)'],
  ['RSA verify (node:crypto)', (f) => f.url.includes('internal/crypto/sig')],
  ['pg driver', (f) => /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//.test(f.url)],
  ['PGlite', (f) => f.url.includes('@electric-sql/pglite') || f.url.startsWith('wasm://')],
  ['body parse (core/notify/form)', (f) => f.url.includes('/packages/core/dist/notify/form')],
  ['logging (pino)', (f) => /node_modules\/(pino|sonic-boom|thread-stream)/.test(f.url)],
  ['metrics, tracing', (f) => /node_modules\/(prom-client|@opentelemetry)/.test(f.url)],
  ["the kit's own code", (f) => /\/packages\/(koa|core|client)\/dist\//.test(f.url)],
  [
    'Koa, router, middleware',
    (f) => /node_modules\/(koa|@koa|koa-compose|koa-helmet|helmet)/.test(f.url),
  ],
]

console.log(
  `\nProfiling the notify bench's ${TARGET} target on ${STORE}: ${CONNECTIONS} connections, ${SECONDS} s after a warm-up`,
)
const app = pemKeyPair()
const alipay = pemKeyPair()
const appId = '2021000000000042'
const orders = Array.from(
  { length: ORDERS },
  (_, i) => `PROF${run.toUpperCase()}${String(i).padStart(7, '0')}`,
)
const bodies = await new Promise((resolve, reject) => {
  const worker = new Worker(new URL('./sign-worker.mjs', import.meta.url), {
    workerData: { appId, privateKey: alipay.privateKey, orders, offset: 0 },
  })
  worker.once('message', resolve)
  worker.once('error', reject)
})
const fixtureFile = writeNotifyFixture(work, { appId, app, alipay, orders })

let location = join(work, 'pglite')
let dropDatabase = async () => {}
if (STORE === 'postgres') {
  const database = await createDatabase(PG_ADMIN, 'akit_profile')
  location = database.url
  dropDatabase = database.drop
}

const server = await startServerProcess(join(here, 'notify-server.mjs'), [
  TARGET,
  location,
  fixtureFile,
])
const base = server.url

/** CPU ticks (user + system) so far: of the server process, of PostgreSQL's processes, of the machine. */
function cpuTicks() {
  const ticks = (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      return Number(fields[11]) + Number(fields[12])
    } catch {
      return 0 // gone meanwhile
    }
  }
  let postgres = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) postgres += ticks(pid)
    } catch {}
  }
  const [, ...all] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
  const [user, nice, system, , , irq, softirq] = all.map(Number)
  return {
    server: ticks(server.child.pid),
    postgres,
    machine: user + nice + system + irq + softirq,
  }
}

/** Transactions committed in the bench's database so far (PostgreSQL only). */
async function transactions() {
  if (STORE !== 'postgres') return 0
  const client = new pg.Client({ connectionString: location })
  await client.connect()
  try {
    const { rows } = await client.query(
      'select xact_commit::int as n from pg_stat_database where datname = current_database()',
    )
    return rows[0].n
  } finally {
    await client.end()
  }
}

let cursor = 0
const load = (seconds) =>
  autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/alipay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        setupRequest: (request) => ({ ...request, body: bodies[cursor++] }),
      },
    ],
  })

try {
  await load(3) // JIT warm-up, not profiled
  const before = await transactions()
  const cpuBefore = cpuTicks()
  await fetch(`${base}/__bench/profile/start`)
  const result = await load(SECONDS)
  const cpuAfter = cpuTicks()
  const { profile, statements } = await (await fetch(`${base}/__bench/profile/stop`)).json()
  await new Promise((resolve) => setTimeout(resolve, 1500)) // PostgreSQL's statistics lag a second
  const after = await transactions()
  const metrics =
    TARGET === 'bff'
      ? await (
          await fetch(`${base}/metrics`, {
            headers: { authorization: 'Bearer bench-metrics-0123456789' },
          })
        ).text()
      : ''
  const metric = (name) => Number(metrics.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? NaN)
  if (cursor > ORDERS) throw new Error('ran out of distinct notifications: raise PROFILE_ORDERS')
  const answered = result.requests.total
  if (result.errors + result.timeouts + result.non2xx > 0)
    throw new Error(
      `${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    )

  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const id of node.children ?? []) parent.set(id, node.id)
  const charged = new Map()
  const byFunction = new Map()
  let busy = 0
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0
    const leaf = nodes.get(id).callFrame
    if (leaf.functionName === '(idle)') return
    const frames = []
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(nodes.get(at).callFrame)
    let name = "Node's own (HTTP parser, sockets, timers, microtasks)"
    let where = leaf
    for (const frame of frames) {
      const category = CATEGORIES.find(([, test]) => test(frame))
      if (category) {
        name = category[0]
        where = frame
        break
      }
    }
    charged.set(name, (charged.get(name) ?? 0) + micros)
    const fn = `${where.functionName || '(anonymous)'} ${where.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '')}:${where.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros)
    busy += micros
  })
  const batches = metric('alipay_kit_apply_batch_size_count')
  const batchSeconds = metric('alipay_kit_apply_batch_duration_seconds_sum')
  if (TARGET === 'bff')
    console.log(
      `The applier's batches since start (warm-up included): ${batches}, ${(metric('alipay_kit_apply_batch_size_sum') / batches).toFixed(1)} updates and ${((1000 * batchSeconds) / batches).toFixed(1)} ms each on average`,
    )
  console.log(
    `${answered} notifications answered in ${SECONDS} s (${Math.round(answered / SECONDS)} req/s); ${Math.round(busy / answered)} µs of the server's main-thread CPU per notification:`,
  )
  const perNotification = (key) =>
    Math.round(((cpuAfter[key] - cpuBefore[key]) * 10_000) / answered)
  console.log(
    `CPU µs per notification (/proc, 10 ms ticks): the server process ${perNotification('server')}, PostgreSQL's processes ${perNotification('postgres')}, the rest of the machine ${perNotification('machine') - perNotification('server') - perNotification('postgres')} (this script's load generator among it)`,
  )
  if (STORE === 'postgres')
    console.log(
      `PostgreSQL's transactions per notification (every statement outside BEGIN is one): ${((after - before) / answered).toFixed(2)}`,
    )
  if (Object.keys(statements).length > 0)
    console.log(
      `The kit's statements per notification: ${Object.entries(statements)
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${(n / answered).toFixed(2)}`)
        .join(', ')}`,
    )
  for (const [name, micros] of [...charged].sort((a, b) => b[1] - a[1]))
    console.log(`  ${name.padEnd(40)} ${String(Math.round(micros / answered)).padStart(5)} µs`)
  if (TOP > 0) {
    console.log(`The ${TOP} frames charged most (µs per notification):`)
    for (const [fn, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP))
      console.log(`  ${String(Math.round(micros / answered)).padStart(5)}  ${fn}`)
  }
} finally {
  await server.stop()
  await dropDatabase()
  rmSync(work, { recursive: true, force: true })
}
