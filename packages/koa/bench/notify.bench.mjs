// `pnpm bench`: the notify endpoint under sustained load (autocannon on loopback), against the
// yardsticks that matter (bench/RESULTS.md, "Notify endpoint"):
//   - the verify-only ceiling: a bare Koa handler that reads the body and verifies it, no database;
//   - the durable floor: the same plus one autocommit INSERT per notification on PostgreSQL;
//   - the handler a careful integrator writes: a body parser, alipay-sdk's checkNotifySignV2 and
//     one pg transaction (SELECT … FOR UPDATE, UPDATE, log INSERT), and the same verifying with a
//     key parsed once;
//   - the kit on PostgreSQL, on PGlite (durable, the default) and on PGlite without fsync.
// Every request is a distinct, realistic notification (Alipay's fields, about 1.2 kB) paying its
// own order. Targets run in turn, round after round, so that drift on two shared cores hits them
// alike; after each run the target's own store is counted: paid orders == notifications sent.
// BENCH_TARGETS=floor,kitPg,… picks targets by key (below); `kitLean`, a bound rather than a
// yardstick, runs only when named. BENCH_ROUNDS, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_ORDERS.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import pg from 'pg'
import { writeNotifyFixture } from './notify-fixture.mjs'
import { startServerProcess } from './server-process.mjs'
import { pemKeyPair } from './signed-notification.mjs'

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTION_COUNTS = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number)
// Distinct notifications for every durable target's runs at up to 6,000 a second (the floor has
// made 4,500 here; a target that runs out is reported, and its rounds are not comparable).
const ORDERS = Number(
  process.env.BENCH_ORDERS ?? ROUNDS * CONNECTION_COUNTS.length * DURATION * 6_000,
)
const PG_ADMIN = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const here = fileURLToPath(new URL('.', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'akit-bench-'))
const run = Date.now().toString(36).toUpperCase()

const TARGETS = [
  { key: 'ceiling', name: 'verify-only Koa (no database)', mode: 'ceiling' },
  { key: 'floor', name: 'durable floor: verify + 1 INSERT', mode: 'floor', pg: true },
  { key: 'sdk', name: 'hand-written: alipay-sdk + pg tx', mode: 'sdk', pg: true },
  { key: 'pre', name: 'hand-written, pre-parsed key', mode: 'sdk-preparsed', pg: true },
  { key: 'kitPg', name: 'alipay-kit on PostgreSQL', mode: 'bff', pg: true },
  // Not a configuration anyone should run: the kit with what it writes beyond the order, its event
  // and its log row's table taken away (notify-server.mjs, BENCH_LEAN), to bound what a leaner
  // data model could give (bench/RESULTS.md). Only when BENCH_TARGETS names it.
  {
    key: 'kitLean',
    name: 'bound: kit, lean schema, no hooks',
    mode: 'bff',
    pg: true,
    env: { BENCH_LEAN: 'true' },
    optIn: true,
  },
  { key: 'kitLite', name: 'alipay-kit on PGlite (durable)', mode: 'bff' },
  {
    key: 'kitLiteFast',
    name: 'alipay-kit on PGlite, fsync off',
    mode: 'bff',
    env: { PGLITE_DURABLE: 'false' },
  },
].filter((t) =>
  process.env.BENCH_TARGETS ? process.env.BENCH_TARGETS.split(',').includes(t.key) : !t.optIn,
)

console.log(
  `\n@alipay-kit/koa: notify endpoint, ${DURATION} s per run, ${ROUNDS} rounds of ${TARGETS.length} targets in turn, ${CONNECTION_COUNTS.join(' and ')} connections, loopback, ${cpus().length} cores`,
)
const app = pemKeyPair()
const alipay = pemKeyPair()
const appId = '2021000000000042'
const orders = Array.from({ length: ORDERS }, (_, i) => `BENCH${run}${String(i).padStart(7, '0')}`)

// Signing is the slow part of the set-up: one worker per core.
process.stdout.write(`signing ${ORDERS} notifications… `)
const started = performance.now()
const workers = cpus().length
const share = Math.ceil(ORDERS / workers)
const parts = await Promise.all(
  Array.from({ length: workers }, (_, w) => {
    const worker = new Worker(new URL('./sign-worker.mjs', import.meta.url), {
      workerData: {
        appId,
        privateKey: alipay.privateKey,
        orders: orders.slice(w * share, (w + 1) * share),
        offset: w * share,
      },
    })
    return new Promise((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
  }),
)
const bodies = parts.flat()
console.log(
  `${((performance.now() - started) / 1000).toFixed(1)} s, ${bodies[0].length} bytes each`,
)
const fixtureFile = writeNotifyFixture(work, { appId, app, alipay, orders })

// A database of its own for each PostgreSQL target.
const databases = []
async function createDatabase(suffix) {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 })
  await admin.connect()
  const name = `akit_bench_${run.toLowerCase()}_${suffix.toLowerCase()}`
  await admin.query(`create database ${name}`)
  await admin.end()
  databases.push(name)
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  return url.toString()
}

async function startTarget(target) {
  const location = target.pg
    ? await createDatabase(target.key)
    : target.mode === 'bff'
      ? join(work, target.key)
      : ''
  const server = await startServerProcess(
    join(here, 'notify-server.mjs'),
    [target.mode, location, fixtureFile],
    target.env,
  )
  return { ...target, url: server.url, location, cursor: 0, stop: server.stop }
}

/** What the target's own store holds (paid orders, or the floor's rows), to check against what was sent. */
async function counted(target) {
  if (target.mode === 'ceiling') return undefined
  const answer = await fetch(`${target.url}/__bench/kept`)
  return (await answer.json()).kept
}

async function load(target, connections) {
  const first = target.cursor
  const result = await autocannon({
    url: target.url,
    connections,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        path: '/alipay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        // The ceiling keeps nothing: it may reuse notifications; the others never see one twice.
        setupRequest: (request) => ({ ...request, body: bodies[target.cursor++ % bodies.length] }),
      },
    ],
  })
  await new Promise((resolve) => setTimeout(resolve, 300)) // requests still in flight at the end
  return {
    rps: result.requests.average,
    sent: target.cursor - first,
    answered: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

const targets = []
for (const target of TARGETS) {
  try {
    targets.push(await startTarget(target))
  } catch (error) {
    console.log(`  ${target.name}: not measured (${error.message})`)
  }
}

const runs = []
const problems = []
for (let round = 1; round <= ROUNDS; round++) {
  for (const connections of CONNECTION_COUNTS) {
    for (const target of targets) {
      const figures = await load(target, connections)
      const held = await counted(target)
      const expected = Math.min(target.cursor, ORDERS)
      if (figures.errors > 0 || figures.non2xx > 0)
        problems.push(
          `${target.name}, round ${round}, ${connections} conn.: ${figures.errors} errors, ${figures.non2xx} non-2xx`,
        )
      if (held !== undefined && held !== expected)
        problems.push(
          `${target.name}, round ${round}: ${held} paid in its store, ${expected} distinct notifications sent`,
        )
      if (target.mode !== 'ceiling' && target.cursor > ORDERS)
        problems.push(`${target.name}: ran out of distinct notifications (raise BENCH_ORDERS)`)
      runs.push({ round, connections, key: target.key, name: target.name, held, ...figures })
      console.log(
        `  round ${round}, ${`${connections} conn.`.padEnd(9)} ${target.name.padEnd(36)} ${Math.round(figures.rps).toString().padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms${held !== undefined ? `  ${held} paid of ${expected} sent` : ''}`,
      )
    }
  }
}
for (const target of targets) await target.stop()

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
console.log('\nMedian req/s of the rounds (each round’s value in brackets):')
for (const connections of CONNECTION_COUNTS) {
  for (const target of targets) {
    const values = runs
      .filter((r) => r.key === target.key && r.connections === connections)
      .map((r) => Math.round(r.rps))
    console.log(
      `  ${`${connections} conn.`.padEnd(9)} ${target.name.padEnd(36)} ${String(median(values)).padStart(6)}  [${values.join(', ')}]`,
    )
  }
}
const RATIOS = [
  ['kitPg', 'floor', '≥ 1.0× at 64, ≥ 0.8× at 16'],
  ['kitPg', 'sdk', '≥ 3×'],
  ['kitPg', 'pre', '≥ 2×'],
  ['kitPg', 'ceiling', ''],
  ['kitLean', 'floor', ''],
  ['kitLean', 'kitPg', ''],
  ['kitLite', 'floor', ''],
  ['kitLite', 'kitLiteFast', 'the cost of fsync on PGlite'],
]
console.log('\nRatios, per round (the same round’s runs divided):')
for (const connections of CONNECTION_COUNTS) {
  for (const [a, b, target] of RATIOS) {
    const per = []
    for (let round = 1; round <= ROUNDS; round++) {
      const x = runs.find((r) => r.key === a && r.connections === connections && r.round === round)
      const y = runs.find((r) => r.key === b && r.connections === connections && r.round === round)
      if (x && y) per.push(x.rps / y.rps)
    }
    if (per.length === 0) continue
    const name = (key) => targets.find((t) => t.key === key)?.name ?? key
    console.log(
      `  ${`${connections} conn.`.padEnd(9)} ${`${name(a)} / ${name(b)}`.padEnd(72)} ${median(per).toFixed(2)}×  [${per.map((v) => v.toFixed(2)).join(', ')}]${target ? `  (target ${target})` : ''}`,
    )
  }
}
if (problems.length > 0) {
  console.log('\nCorrectness problems:')
  for (const problem of problems) console.log(`  ✗ ${problem}`)
  process.exitCode = 1
} else console.log('\n✓ every run: no errors, no non-2xx, paid == distinct notifications sent')

for (const name of databases) {
  try {
    execFileSync('psql', [PG_ADMIN, '-q', '-c', `drop database if exists ${name} with (force)`], {
      stdio: 'ignore',
    })
  } catch {}
}
rmSync(work, { recursive: true, force: true })
