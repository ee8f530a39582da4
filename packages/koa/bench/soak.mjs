// `pnpm soak`: ten minutes of steady traffic against one BFF instance (its own process) on
// PostgreSQL (PGlite when no server answers): buyers create orders, open Alipay's cashier, pay, and
// read their order until Alipay's notification has marked it paid. Every 30 s the BFF reports its
// heap (after GC), RSS and event-loop delay; at the end the first and last samples are compared.
// Settings: SOAK_MINUTES (10), SOAK_RATE orders per second (20), SOAK_SAMPLE_SECONDS (30).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox } from '@alipay-kit/sandbox'
import { startBffProcess } from '../reliability/processes.mjs'
import { createDatabase } from '../reliability/world.mjs'

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10)
const RATE = Number(process.env.SOAK_RATE ?? 20)
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 30) * 1000
const ADMIN_URL = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
/** Heap growth (after GC) from the first to the last sample that still counts as noise. */
const NOISE_MB = 10

let database
let pgliteDir
try {
  database = await createDatabase(ADMIN_URL, 'akit_soak')
} catch (error) {
  console.log(`PostgreSQL refused (${error.message}); soaking on PGlite instead`)
  pgliteDir = mkdtempSync(join(tmpdir(), 'akit-soak-'))
}
const storeLabel = database ? 'PostgreSQL' : 'PGlite'
const sandbox = await startSandbox()
const bff = await startBffProcess({
  store: database ? database.url : join(pgliteDir, 'db'),
  credentials: sandbox.credentials,
  sandboxUrl: sandbox.url,
})
console.log(
  `\n@alipay-kit/koa soak: ${MINUTES} min, ${RATE} orders/s (each: create, cashier, pay, notification, reads until paid) on ${storeLabel}, one BFF process`,
)

const counts = { created: 0, paid: 0, reads: 0, failures: 0, slowPaid: 0 }
const failures = new Map()
function fail(what) {
  counts.failures++
  failures.set(what, (failures.get(what) ?? 0) + 1)
}

/** One buyer's whole journey; resolves when the order reads paid (or gives up after 10 s). */
async function journey() {
  const created = await fetch(`${bff.url}/api/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
    body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }], service: 'page' }),
  })
  if (created.status !== 201) return fail(`create ${created.status}`)
  const { order, accessToken, payment } = await created.json()
  counts.created++
  await fetch(payment.url, { redirect: 'manual' }).then((r) => r.arrayBuffer())
  await sandbox.admin.pay(order.id)
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const read = await fetch(`${bff.url}/api/orders/${order.id}?token=${accessToken}`)
    counts.reads++
    if (read.status !== 200) return fail(`read ${read.status}`)
    if ((await read.json()).paid) {
      counts.paid++
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  counts.slowPaid++
}

const samples = []
let driverCpu = { usage: process.cpuUsage(), at: performance.now() }
async function sample(elapsedMs) {
  const m = await bff.memory()
  const usage = process.cpuUsage(driverCpu.usage)
  const driverPercent = ((usage.user + usage.system) / 10 / (performance.now() - driverCpu.at)) | 0
  driverCpu = { usage: process.cpuUsage(), at: performance.now() }
  const row = {
    minute: Math.round((elapsedMs / 60_000) * 10) / 10,
    'heap MB': Math.round((m.heapUsed / 2 ** 20) * 10) / 10,
    'RSS MB': Math.round((m.rss / 2 ** 20) * 10) / 10,
    'loop delay mean ms': Math.round(m.eventLoopDelayMeanMs * 10) / 10,
    'loop delay p99 ms': Math.round(m.eventLoopDelayP99Ms * 10) / 10,
    'BFF CPU %': Math.round(m.cpuPercent),
    'driver + simulator CPU %': driverPercent,
    'orders paid': counts.paid,
    failures: counts.failures,
  }
  samples.push(row)
  console.log(`  ${JSON.stringify(row)}`)
}

const started = Date.now()
const end = started + MINUTES * 60_000
const inFlight = new Set()
let nextSample = started + SAMPLE_MS
await sample(0)
for (let i = 0; Date.now() < end; i++) {
  const due = started + (i * 1000) / RATE
  const wait = due - Date.now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
  const run = journey()
    .catch((error) => fail(`error ${error.cause?.code ?? error.message}`))
    .finally(() => inFlight.delete(run))
  inFlight.add(run)
  if (Date.now() >= nextSample) {
    nextSample += SAMPLE_MS
    await sample(Date.now() - started)
  }
}
await Promise.all(inFlight)
await sample(Date.now() - started)

await bff.kill('SIGTERM')
await sandbox.close()
await database?.drop()
if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true })

// The first sample after a minute of warm-up (JIT, pools, caches) is the baseline; the last one
// under traffic is compared with it (the final sample, taken once traffic drained, is shown only).
const baseline = samples.find((s) => s.minute >= Math.min(1, MINUTES / 2)) ?? samples[0]
const last = samples[samples.length - 2] ?? samples[samples.length - 1]
const heapGrowth = last['heap MB'] - baseline['heap MB']
const rssGrowth = last['RSS MB'] - baseline['RSS MB']
const signed = (value) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`
console.table(samples)
console.log(
  `  ${counts.created} orders created, ${counts.paid} paid, ${counts.reads} reads, ${counts.slowPaid} not paid within 10 s, ${counts.failures} failures${failures.size ? ` ${JSON.stringify(Object.fromEntries(failures))}` : ''}`,
)
console.log(
  `  under traffic, minute ${baseline.minute} → ${last.minute}: heap ${baseline['heap MB']} → ${last['heap MB']} MB (${signed(heapGrowth)}), RSS ${baseline['RSS MB']} → ${last['RSS MB']} MB (${signed(rssGrowth)}), event-loop delay p99 ${baseline['loop delay p99 ms']} → ${last['loop delay p99 ms']} ms, mean ${baseline['loop delay mean ms']} → ${last['loop delay mean ms']} ms, BFF CPU ${baseline['BFF CPU %']} → ${last['BFF CPU %']} %`,
)
const held = heapGrowth < NOISE_MB && counts.failures === 0 && counts.slowPaid === 0
console.log(
  held
    ? `  held: no failures, heap growth within noise (< ${NOISE_MB} MB)`
    : '  NOT held: see the figures above',
)
process.exit(held ? 0 : 1)
