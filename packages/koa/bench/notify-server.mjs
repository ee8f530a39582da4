// A server for the notify benchmark, in its own process. Prints READY <url>. Modes:
//   ceiling        a bare Koa handler that only reads the raw body and verifies it (no database)
//   floor          the same, plus one autocommit INSERT per notification on PostgreSQL: the least
//                  any handler that keeps what it answered `success` to can do
//   sdk            what a careful integrator writes by hand: a body parser, the official alipay-sdk's
//                  checkNotifySignV2, and one pg transaction (SELECT … FOR UPDATE, UPDATE, log INSERT)
//   sdk-preparsed  the same handler verifying with node:crypto on a key parsed once
//   bff            the kit, on PGlite (a directory) or PostgreSQL (a URL); with BENCH_LEAN=true a
//                  bound, not a configuration: no hooks, only the primary key and the sweep's index
//                  on the orders (a paid transition then adds 1 index entry instead of 6), no
//                  indexes on the log, and a trigger that drops the log row of each applied
//                  notification (the event row stays): what a leaner data model could give at most
import { createVerify } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { createOpenConfig, verifyOpenNotification } from '@alipay-kit/core'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import { bodyParser } from '@koa/bodyparser'
import Koa from 'koa'
import pg from 'pg'
import { pino } from 'pino'

const require = createRequire(import.meta.url)
const [mode, location, fixtureFile] = process.argv.slice(2)
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8'))
const POOL = Number(process.env.PG_POOL ?? 10)
const LEAN = process.env.BENCH_LEAN === 'true'
const server = createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}`
const open = {
  appId: fixture.appId,
  privateKey: fixture.appPrivateKey,
  alipayPublicKey: fixture.alipayPublicKey,
  gateway: 'http://127.0.0.1:9/gateway.do',
}
const app = new Koa()
app.silent = true
/** How many notifications this target has kept: the benchmark checks it against what it sent. */
let countKept = async () => 0
app.use(async (ctx, next) => {
  if (ctx.path !== '/__bench/kept') return next()
  ctx.body = { kept: await countKept() }
})
// profile-notify.mjs: a CPU profile of the load alone (not the start-up), through the inspector.
let profiler
/** The kit's statements by name (else their first words) while profiling. */
const statements = new Map()
app.use(async (ctx, next) => {
  if (ctx.path === '/__bench/profile/start') {
    const { Session } = await import('node:inspector/promises')
    profiler = new Session()
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 })
    await profiler.post('Profiler.start')
    statements.clear()
    ctx.body = { started: true }
  } else if (ctx.path === '/__bench/profile/stop') {
    const { profile } = await profiler.post('Profiler.stop')
    profiler.disconnect()
    ctx.body = { profile, statements: Object.fromEntries(statements) }
  } else return next()
})

/** The raw body, as Alipay sent it. */
async function rawBody(ctx) {
  const chunks = []
  for await (const chunk of ctx.req) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/** Inserts rows for the fixture's orders, 1,000 at a time. */
async function insertOrders(query, sql) {
  for (let i = 0; i < fixture.orders.length; i += 1000)
    await query(sql, [fixture.orders.slice(i, i + 1000)])
}

if (mode === 'ceiling' || mode === 'floor') {
  const config = createOpenConfig(open)
  const pool = mode === 'floor' ? new pg.Pool({ connectionString: location, max: POOL }) : undefined
  await pool?.query(
    'create table if not exists bench_floor (notify_id text primary key, order_id text not null)',
  )
  if (pool)
    countKept = async () =>
      (await pool.query('select count(*)::int as n from bench_floor')).rows[0].n
  app.use(async (ctx) => {
    const result = verifyOpenNotification(config, {
      body: await rawBody(ctx),
      contentType: ctx.get('content-type'),
    })
    if (result.ok && pool)
      await pool.query('insert into bench_floor (notify_id, order_id) values ($1, $2)', [
        result.notification.notifyId,
        result.notification.outTradeNo,
      ])
    ctx.type = 'text/plain'
    ctx.body = result.ok ? 'success' : 'fail'
  })
} else if (mode === 'sdk' || mode === 'sdk-preparsed') {
  const { AlipaySdk } = require('alipay-sdk')
  const sdk = new AlipaySdk({
    appId: open.appId,
    privateKey: open.privateKey,
    alipayPublicKey: open.alipayPublicKey,
  })
  const { createPublicKey } = await import('node:crypto')
  const publicKey = createPublicKey(open.alipayPublicKey)
  /** As the SDK does it, on a key parsed once: every field but sign and sign_type, sorted. */
  const verifyPreparsed = (params) => {
    const text = Object.keys(params)
      .filter((key) => key !== 'sign' && key !== 'sign_type')
      .sort()
      .map((key) => `${key}=${params[key]}`)
      .join('&')
    return createVerify('RSA-SHA256')
      .update(text)
      .verify(publicKey, params.sign ?? '', 'base64')
  }
  const pool = new pg.Pool({ connectionString: location, max: POOL })
  await pool.query(`
    create table if not exists bench_orders (
      id text primary key, amount_fen int not null, status text not null default 'unpaid',
      trade_no text, paid_at timestamptz);
    create table if not exists bench_notify_log (
      id bigserial primary key, notify_id text not null, order_id text not null,
      trade_status text not null, params jsonb not null, at timestamptz not null default now());`)
  await insertOrders(
    (sql, params) => pool.query(sql, params),
    `insert into bench_orders (id, amount_fen) select id, 100 from unnest($1::text[]) as id
     on conflict (id) do nothing`,
  )
  countKept = async () =>
    (await pool.query("select count(*)::int as n from bench_orders where status = 'paid'")).rows[0]
      .n
  app.use(bodyParser({ enableTypes: ['form'] }))
  app.use(async (ctx) => {
    ctx.type = 'text/plain'
    const params = ctx.request.body ?? {}
    const verified = mode === 'sdk' ? sdk.checkNotifySignV2({ ...params }) : verifyPreparsed(params)
    if (!verified || params.app_id !== open.appId) {
      ctx.body = 'fail'
      return
    }
    const client = await pool.connect()
    try {
      await client.query('begin')
      const { rows } = await client.query(
        'select status, amount_fen from bench_orders where id = $1 for update',
        [params.out_trade_no],
      )
      const order = rows[0]
      if (!order || order.amount_fen !== Math.round(Number(params.total_amount) * 100)) {
        await client.query('rollback')
        ctx.body = 'fail'
        return
      }
      const paid =
        params.trade_status === 'TRADE_SUCCESS' || params.trade_status === 'TRADE_FINISHED'
      if (paid && order.status !== 'paid')
        await client.query(
          "update bench_orders set status = 'paid', trade_no = $2, paid_at = now() where id = $1",
          [params.out_trade_no, params.trade_no],
        )
      await client.query(
        'insert into bench_notify_log (notify_id, order_id, trade_status, params) values ($1, $2, $3, $4)',
        [params.notify_id, params.out_trade_no, params.trade_status, params],
      )
      await client.query('commit')
      ctx.body = 'success'
    } catch {
      await client.query('rollback').catch(() => {})
      ctx.status = 500
      ctx.body = 'fail'
    } finally {
      client.release()
    }
  })
} else {
  const durable = process.env.PGLITE_DURABLE !== 'false'
  const store = await openStore(location, { max: POOL, durable })
  for (const method of ['query', 'transaction']) {
    const original = store[method].bind(store)
    store[method] = (sql, params, name) => {
      const key =
        method === 'transaction' ? 'transaction' : (name ?? sql.trim().split(/\s+/, 3).join(' '))
      statements.set(key, (statements.get(key) ?? 0) + 1)
      return original(sql, params, name)
    }
  }
  const kit = await createAlipayKit({
    rateLimits: false, // a load generator is one client sending everything
    publicUrl: url,
    open,
    store,
    pricing: catalogPricing([{ sku: 'x', name: 'x', price: '1.00' }]),
    hooks: LEAN ? {} : { onPaid: () => {} },
    merchantApiSecret: 'bench-secret-0123456789',
    metricsToken: 'bench-metrics-0123456789', // the profile reads the batch sizes
    processMetrics: false,
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }),
  })
  if (LEAN) {
    for (const index of [
      'akit_orders_user',
      'akit_orders_session',
      'akit_orders_created',
      'akit_orders_trade_no',
      'akit_orders_paid_at',
      'akit_notifications_order',
      'akit_notifications_outcome',
    ])
      await store.query(`drop index ${index}`)
    await store.query(`create function bench_drop_applied() returns trigger language plpgsql as
      $$ begin if new.outcome = 'applied' then return null; end if; return new; end $$`)
    await store.query(`create trigger bench_drop_applied before insert on akit_notifications
      for each row execute function bench_drop_applied()`)
  }
  // The orders the notifications are for, inserted in bulk.
  const state = JSON.stringify({
    trade: 'WAIT_BUYER_PAY',
    paid: false,
    shipped: false,
    mode: 'instant',
    refundRound: 0,
    refundsSucceeded: [],
  })
  await insertOrders(
    (sql, params) => store.query(sql, [...params, state]),
    `insert into akit_orders (id, access_token_hash, gateway, service, subject, amount_fen, items, state, trade_status)
     select id, 'x', 'open', 'page', 'bench', 100, '[]'::jsonb, $2::jsonb, 'WAIT_BUYER_PAY' from unnest($1::text[]) as id
     on conflict (id) do nothing`,
  )
  countKept = async () =>
    (await store.query("select count(*)::int as n from akit_order_events where event = 'paid'"))[0]
      .n
  app.use(kit.middleware)
}
server.on('request', app.callback())
console.log(`READY ${url}`)
// Exit cleanly on SIGTERM so profilers (--cpu-prof) can write their output.
process.once('SIGTERM', () => process.exit(0))
