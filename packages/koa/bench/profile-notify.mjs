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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import { createDatabase } from '../reliability/world.mjs'
import { startServerProcess } from './server-process.mjs'
import { pemKeyPair } from './signed-notification.mjs'

const SECONDS = Number(process.env.PROFILE_SECONDS ?? 6)
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 16)
const STORE = process.env.PROFILE_STORE ?? 'postgres'
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
  `\nProfiling the kit's notify endpoint on ${STORE}: ${CONNECTIONS} connections, ${SECONDS} s after a warm-up`,
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
const fixtureFile = join(work, 'fixture.json')
writeFileSync(
  fixtureFile,
  JSON.stringify({
    appId,
    appPrivateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey,
    orders,
  }),
)

let location = join(work, 'pglite')
let dropDatabase = async () => {}
if (STORE === 'postgres') {
  const database = await createDatabase(PG_ADMIN, 'akit_profile')
  location = database.url
  dropDatabase = database.drop
}

const server = await startServerProcess(join(here, 'notify-server.mjs'), [
  'bff',
  location,
  fixtureFile,
])
const base = server.url

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
  await fetch(`${base}/__bench/profile/start`)
  const result = await load(SECONDS)
  const profile = await (await fetch(`${base}/__bench/profile/stop`)).json()
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
  let busy = 0
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i + 1] ?? 0
    const leaf = nodes.get(id).callFrame
    if (leaf.functionName === '(idle)') return
    const frames = []
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(nodes.get(at).callFrame)
    let name = "Node's own (HTTP parser, sockets, timers, microtasks)"
    for (const frame of frames) {
      const category = CATEGORIES.find(([, test]) => test(frame))
      if (category) {
        name = category[0]
        break
      }
    }
    charged.set(name, (charged.get(name) ?? 0) + micros)
    busy += micros
  })
  console.log(
    `${answered} notifications answered in ${SECONDS} s (${Math.round(answered / SECONDS)} req/s); ${Math.round(busy / answered)} µs of the server's main-thread CPU per notification:`,
  )
  for (const [name, micros] of [...charged].sort((a, b) => b[1] - a[1]))
    console.log(`  ${name.padEnd(40)} ${String(Math.round(micros / answered)).padStart(5)} µs`)
} finally {
  await server.stop()
  await dropDatabase()
  rmSync(work, { recursive: true, force: true })
}
