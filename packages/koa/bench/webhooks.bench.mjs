// `pnpm bench`: webhook delivery (src/jobs/webhook-delivery.ts) to a local receiver that verifies
// every delivery (HMAC, as a merchant's system would) and answers 200.
// 1. Throughput: WEBHOOK_EVENTS paid notifications applied with the kit's jobs off, so their
//    deliveries wait in the outbox; then delivery passes run until the outbox is empty: events/s.
// 2. Latency: the BFF in its own process with its jobs on, notifications sent at WEBHOOK_RATE/s;
//    for each, the time from the notification's answer (`success`, sent after the commit) to the
//    event at the receiver, and from the notification sent, p50/p95.
// PostgreSQL and PGlite (on disk) in turn, two rounds each; afterwards every event must have
// arrived once, verified, and nothing be pending. Sizes: WEBHOOK_EVENTS (3000), WEBHOOK_RATE (100).

import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import { generateCredentials } from '@alipay-kit/sandbox'
import Koa from 'koa'
import pg from 'pg'
import { pino } from 'pino'
import { startBffProcess } from '../reliability/processes.mjs'
import { startWebhookReceiver } from '../reliability/webhook-receiver.mjs'
import { createDatabase } from '../reliability/world.mjs'
import { createOrders, paidNotification } from './bench-orders.mjs'

const EVENTS = Number(process.env.WEBHOOK_EVENTS ?? 3_000)
const RATE = Number(process.env.WEBHOOK_RATE ?? 100)
const LATENCY_EVENTS = Math.min(EVENTS, RATE * 10)
const ROUNDS = 2
const ADMIN_URL = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const credentials = generateCredentials()
const work = mkdtempSync(join(tmpdir(), 'akit-webhook-bench-'))

/** Runs `fn(i)` for i < count, `parallel` at a time. */
async function each(count, parallel, fn) {
  let next = 0
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await fn(next++)
    }),
  )
}

async function notify(url, id, i) {
  const response = await fetch(`${url}/alipay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: paidNotification(credentials, id, i, 'webhook-bench'),
  })
  const answer = await response.text()
  if (answer !== 'success') throw new Error(`notify answered ${response.status} ${answer}`)
}

/** Every event arrived once, verified; nothing left pending in the store. */
async function check(receiver, ids, pending) {
  const wanted = new Set(ids)
  const mine = receiver.events.filter((r) => wanted.has(r.event.order.id))
  const distinct = new Set(mine.map((r) => r.event.id)).size
  if (
    mine.length !== ids.length ||
    distinct !== ids.length ||
    receiver.refused.length > 0 ||
    pending > 0
  )
    throw new Error(
      `wrong: ${mine.length} receipts of ${distinct} ids for ${ids.length} events, ${receiver.refused.length} refused, ${pending} pending`,
    )
}

async function locationOf(target, round, part) {
  if (target === 'PostgreSQL')
    return (await createDatabase(ADMIN_URL, `akit_wh_${part}${round}`)).url
  return join(work, `pglite-${part}-${round}`)
}

/** Part 1: the outbox filled with the jobs off, then emptied by delivery passes. */
async function throughput(target, round) {
  const location = await locationOf(target, round, 't')
  const store = await openStore(location)
  const receiver = await startWebhookReceiver()
  const server = createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  const kit = await createAlipayKit({
    rateLimits: false, // a load generator is one client sending everything
    publicUrl: url,
    open: {
      appId: credentials.appId,
      privateKey: credentials.appPrivateKey,
      alipayPublicKey: credentials.alipayPublicKey,
      gateway: 'http://127.0.0.1:9/gateway.do',
      sellerId: credentials.partner,
    },
    store,
    pricing: catalogPricing([{ sku: 'tea', name: '龙井茶', price: '1.00' }]),
    merchantApiSecret: 'bench-merchant-secret-0123456789abcdef',
    webhooks: { urls: [receiver.url], secret: receiver.secret },
    runJobs: false,
    logger: pino({ level: 'silent' }),
  })
  const app = new Koa()
  app.silent = true
  app.use(kit.middleware)
  server.on('request', app.callback())
  try {
    const ids = (await createOrders(url, EVENTS)).map((order) => order.id)
    await each(EVENTS, 16, (i) => notify(url, ids[i], i))
    const started = process.hrtime.bigint()
    let passes = 0
    for (;;) {
      const pass = await kit.jobs.run('webhook-delivery')
      if (pass.error) throw new Error(pass.error)
      if (pass.count === 0) break
      passes++
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    const [{ n }] = await store.query(
      "select count(*)::int as n from akit_webhook_deliveries where state <> 'delivered'",
    )
    await check(receiver, ids, n)
    return { rate: EVENTS / seconds, seconds, passes }
  } finally {
    await kit.close()
    server.closeAllConnections()
    server.close()
    await store.close()
    await receiver.close()
  }
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

/** Part 2: the BFF in its own process, jobs on, notifications at a steady rate. */
async function latency(target, round) {
  const location = await locationOf(target, round, 'l')
  const receiver = await startWebhookReceiver()
  const bff = await startBffProcess({
    store: location,
    credentials,
    sandboxUrl: 'http://127.0.0.1:9', // never called: the notifications come from this script
    webhooks: { urls: [receiver.url], secret: receiver.secret },
    webhookPollMs: 60_000, // deliveries start at their commit; the poll only catches what was missed
  })
  try {
    const ids = (await createOrders(bff.url, LATENCY_EVENTS)).map((order) => order.id)
    const sent = new Map()
    const answered = new Map()
    const gap = 1000 / RATE
    const start = performance.now()
    await Promise.all(
      ids.map(async (id, i) => {
        const wait = start + i * gap - performance.now()
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
        sent.set(id, performance.timeOrigin + performance.now())
        await notify(bff.url, id, i)
        answered.set(id, performance.timeOrigin + performance.now())
      }),
    )
    const wanted = new Set(ids)
    const arrived = await receiver.until(
      () => receiver.events.filter((r) => wanted.has(r.event.order.id)).length >= ids.length,
    )
    if (!arrived) throw new Error('not every event arrived within 30 s')
    await bff.kill('SIGTERM')
    // The store once the BFF has let it go (a PGlite directory has one owner at a time).
    const store = await openStore(location)
    const [{ n: pending }] = await store.query(
      "select count(*)::int as n from akit_webhook_deliveries where state <> 'delivered'",
    )
    await store.close()
    await check(receiver, ids, pending)
    const fromAnswer = []
    const fromSent = []
    for (const { event, at } of receiver.events) {
      fromAnswer.push(at - answered.get(event.order.id))
      fromSent.push(at - sent.get(event.order.id))
    }
    fromAnswer.sort((a, b) => a - b)
    fromSent.sort((a, b) => a - b)
    return {
      p50: percentile(fromAnswer, 50),
      p95: percentile(fromAnswer, 95),
      sentP50: percentile(fromSent, 50),
      sentP95: percentile(fromSent, 95),
    }
  } finally {
    await bff.kill('SIGTERM')
    await receiver.close()
  }
}

console.log('\n@alipay-kit/koa: webhook delivery to a local receiver that verifies each one')
const targets = ['PostgreSQL', 'PGlite (disk)']
try {
  const probe = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 })
  await probe.connect()
  await probe.end()
} catch (error) {
  console.log(`  PostgreSQL not measured: ${error.message}`)
  if (process.env.CI) process.exit(1)
  targets.shift()
}
const results = []
for (let round = 1; round <= ROUNDS; round++)
  for (const target of targets) {
    const t = await throughput(target, round)
    const l = await latency(target, round)
    results.push({ target, round, ...t, ...l })
    console.log(
      `  round ${round} ${target.padEnd(14)} ${Math.round(t.rate).toString().padStart(6)} events/s delivered (${EVENTS} in ${t.seconds.toFixed(1)} s, ${t.passes} passes); commit → receiver p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms (from the notification sent: p50 ${l.sentP50.toFixed(1)}, p95 ${l.sentP95.toFixed(1)}) at ${RATE}/s`,
    )
  }
if (targets.length === 2)
  for (let round = 1; round <= ROUNDS; round++) {
    const [a, b] = results.filter((r) => r.round === round)
    console.log(`  round ${round}: PGlite / PostgreSQL ${(b.rate / a.rate).toFixed(2)}× events/s`)
  }
console.log(
  `  every event arrived once, verified, none pending (${EVENTS} events per throughput run, ${LATENCY_EVENTS} per latency run)`,
)
rmSync(work, { recursive: true, force: true })
