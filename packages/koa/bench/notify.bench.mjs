// `pnpm bench`: the notify endpoint under sustained load (autocannon on loopback), on PGlite and on
// PostgreSQL, beside a bare Koa handler that only verifies the RSA2 signature: the ceiling.
// Every request is a distinct, genuine notification applying a real transition to its own order.
import { execFileSync, spawn } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import pg from 'pg'
import { signedOpenNotification } from './signed-notification.mjs'

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTION_COUNTS = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number)
const ORDERS = Number(process.env.BENCH_ORDERS ?? 50_000)
const PG_ADMIN = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const here = fileURLToPath(new URL('.', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'akit-bench-'))

function keyPem(pair) {
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }),
  }
}

console.log(
  `\n@alipay-kit/koa: notify endpoint, ${DURATION} s per target, ${CONNECTION_COUNTS.join(' and ')} connections, loopback, ${cpus().length} cores`,
)
const app = keyPem(generateKeyPairSync('rsa', { modulusLength: 2048 }))
const alipay = keyPem(generateKeyPairSync('rsa', { modulusLength: 2048 }))
const appId = '2021000000000042'
const run = Date.now().toString(36).toUpperCase()
const orders = Array.from({ length: ORDERS }, (_, i) => `BENCH${run}${String(i).padStart(6, '0')}`)
process.stdout.write(`signing ${ORDERS} notifications… `)
const started = performance.now()
const bodies = orders.map((id, i) => {
  const fields = {
    app_id: appId,
    charset: 'utf-8',
    gmt_payment: '2026-11-25 10:00:00',
    notify_id: `bench-${i}`,
    notify_time: '2026-11-25 10:00:00',
    notify_type: 'trade_status_sync',
    out_trade_no: id,
    subject: '龙井茶 a+b',
    total_amount: '1.00',
    trade_no: `2026112522${String(i).padStart(14, '0')}`,
    trade_status: 'TRADE_SUCCESS',
    version: '1.0',
  }
  return signedOpenNotification(fields, alipay.privateKey)
})
console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`)
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

async function startTarget(mode, location) {
  const child = spawn(
    process.execPath,
    [join(here, 'notify-server.mjs'), mode, location ?? '', fixtureFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const url = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /READY (\S+)/.exec(out)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`${mode} server exited (${code})`)))
  })
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve)
        child.kill('SIGTERM')
      }),
  }
}

// Each store draws from its own cursor, so that every request to it is a notification it has not
// seen (a fresh transition), across runs; the ceiling, which keeps nothing, reuses the first ones.
const cursors = new Map()
async function load(url, connections, store) {
  let next = cursors.get(store) ?? 0
  const result = await autocannon({
    url,
    connections,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        path: '/alipay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        setupRequest: (request) => ({
          ...request,
          body: bodies[next++ % bodies.length],
        }),
      },
    ],
  })
  if (store) cursors.set(store, next)
  return {
    drawn: next,
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

async function measure(name, mode, location, connections, counted) {
  const target = await startTarget(mode, location)
  try {
    const figures = await load(target.url, connections, mode === 'bff' ? location : undefined)
    await new Promise((resolve) => setTimeout(resolve, 300)) // requests still in flight at the end
    if (counted) figures.transitions = await counted()
    console.log(
      `  ${`${name}, ${connections} conn.`.padEnd(46)} ${Math.round(figures.rps).toString().padStart(6)} req/s`,
    )
    return { name, connections, ...figures }
  } finally {
    await target.stop()
  }
}

let pgUrl
try {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 })
  await admin.connect()
  const name = `akit_bench_${run.toLowerCase()}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  pgUrl = url.toString()
} catch (error) {
  console.log(`  PostgreSQL not measured: ${error.message}`)
}
const paidOnPostgres = async () => {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  const { rows: counted } = await client.query(
    "select count(*)::int as n from akit_order_events where event = 'paid'",
  )
  await client.end()
  return counted[0].n
}

const rows = []
for (const connections of CONNECTION_COUNTS) {
  rows.push(await measure('ceiling: bare Koa + RSA2 verify', 'ceiling', undefined, connections))
  rows.push(
    await measure(
      'alipay-kit BFF on PGlite (disk)',
      'bff',
      join(work, `pglite-${connections}`),
      connections,
    ),
  )
  if (pgUrl) {
    rows.push(
      await measure('alipay-kit BFF on PostgreSQL', 'bff', pgUrl, connections, paidOnPostgres),
    )
  }
}

console.table(
  rows.map((r) => ({
    target: r.name,
    conn: r.connections,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'max ms': r.max,
    errors: r.errors,
    'non-2xx': r.non2xx,
  })),
)
for (const connections of CONNECTION_COUNTS) {
  const group = rows.filter((r) => r.connections === connections)
  const ceiling = group[0]
  for (const row of group.slice(1))
    console.log(
      `${`${row.name} / ceiling, ${connections} conn.`.padEnd(58)} ${(row.rps / ceiling.rps).toFixed(2)}×${row.name.includes('PostgreSQL') ? '   (target ≥ 0.5×)' : ''}`,
    )
}
const lastPg = rows.filter((r) => r.transitions !== undefined).at(-1)
if (lastPg)
  console.log(
    `paid transitions on PostgreSQL after all runs: ${lastPg.transitions} of ${lastPg.drawn} distinct notifications sent${lastPg.drawn > ORDERS ? ' (the runs wrapped into duplicates: raise BENCH_ORDERS)' : ''}`,
  )

if (pgUrl) {
  try {
    execFileSync(
      'psql',
      [
        PG_ADMIN,
        '-q',
        '-c',
        `drop database if exists ${new URL(pgUrl).pathname.slice(1)} with (force)`,
      ],
      { stdio: 'ignore' },
    )
  } catch {}
}
rmSync(work, { recursive: true, force: true })
