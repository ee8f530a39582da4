// `pnpm bench`: the payment sweep (src/jobs/payment-sweep.ts). 10,000 orders wait for payment
// (their trades open at the simulator, one in ten paid without a notification); the kit runs on
// the simulator's test clock, which moves to the first point of the schedule, and sweep passes
// run until none finds work. Prints orders claimed and queried per second, the store's cost of
// an idle pass (the claim that finds nothing, with 10,000 pending), and checks afterwards that
// every order was asked about exactly once, never twice at once, and the paid ones are paid.
// PostgreSQL and PGlite (on disk) in turn, two rounds each. Size: SWEEP_ORDERS (10000).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import { startSandbox } from '@alipay-kit/sandbox'
import pg from 'pg'
import { pino } from 'pino'

const ORDERS = Number(process.env.SWEEP_ORDERS ?? 10_000)
const PG_ADMIN = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const ROUNDS = 2
const MINUTE = 60_000
const work = mkdtempSync(join(tmpdir(), 'akit-sweep-bench-'))

async function pgDatabase(name) {
  const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 })
  await admin.connect()
  await admin.query(`drop database if exists ${name}`)
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  return url.toString()
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** One measurement: a fresh store, a fresh simulator, ORDERS pending orders, sweep to the end. */
async function measure(target, round) {
  const location =
    target === 'PostgreSQL'
      ? await pgDatabase(`akit_sweep_${round}`)
      : join(work, `pglite-${round}`)
  const sandbox = await startSandbox()
  const store = await openStore(location)
  const c = sandbox.credentials
  const kit = await createAlipayKit({
    rateLimits: false, // a load generator is one client sending everything
    publicUrl: 'http://127.0.0.1:9',
    open: {
      appId: c.appId,
      privateKey: c.appPrivateKey,
      alipayPublicKey: c.alipayPublicKey,
      gateway: sandbox.gatewayUrl,
      sellerId: c.partner,
    },
    store,
    pricing: catalogPricing([{ sku: 'tea', name: '茶', price: '1.00' }]),
    merchantApiSecret: 'bench-merchant-secret-0123456789abcdef',
    runJobs: false,
    clock: () => sandbox.simulator.now(),
    logger: pino({ level: 'silent' }),
  })
  try {
    // The trades at "Alipay": opened at the cashier; one in ten paid, never notified.
    const now = sandbox.simulator.now()
    const buyer = sandbox.simulator.findBuyer('2088102000000001')
    const prefix = `SW${round}${target[1]}`
    let paid = 0
    for (let i = 0; i < ORDERS; i++) {
      const trade = sandbox.simulator.createTrade({
        gateway: 'open',
        service: 'alipay.trade.page.pay',
        outTradeNo: `${prefix}${String(i).padStart(6, '0')}`,
        subject: '茶',
        body: undefined,
        totalFen: 100,
        price: undefined,
        quantity: undefined,
        charset: 'utf-8',
        notifyUrl: undefined,
        returnUrl: undefined,
        showUrl: undefined,
        passback: undefined,
        fingerprint: `bench|${i}`,
        expiresAt: undefined,
      })
      if (i % 10 === 0) {
        sandbox.simulator.pay(trade, buyer)
        paid++
      }
    }
    // The same orders in the store, as createOrder writes them.
    await store.query(
      `insert into akit_orders (id, access_token_hash, gateway, service, subject, amount_fen, items,
         state, trade_status, created_at, updated_at, expires_at, sweep_next_at)
       select $1 || lpad(i::text, 6, '0'), md5(i::text), 'open', 'page', '茶', 100, '[]'::jsonb,
         $2::jsonb, 'WAIT_BUYER_PAY', $3, $3, $3::timestamptz + interval '30 minutes',
         $3::timestamptz + interval '1 minute'
       from generate_series(0, $4 - 1) as i`,
      [
        prefix,
        JSON.stringify({
          trade: 'WAIT_BUYER_PAY',
          paid: false,
          shipped: false,
          refundRound: 0,
          refundsSucceeded: [],
        }),
        new Date(now),
        ORDERS,
      ],
    )
    // The store's cost of a pass that finds nothing due (the sweep's every-15-s case).
    const idle = []
    for (let i = 0; i < 21; i++) {
      const started = process.hrtime.bigint()
      const pass = await kit.jobs.run('payment-sweep')
      if (pass.count !== 0) throw new Error('an idle pass found work')
      idle.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    await sandbox.admin.advanceClock(MINUTE + 1_000)
    const started = process.hrtime.bigint()
    let swept = 0
    for (;;) {
      const pass = await kit.jobs.run('payment-sweep')
      if (pass.error) throw new Error(pass.error)
      if (pass.count === 0) break
      swept += pass.count
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    // Correctness: each order asked once, never twice at once; the paid ones are paid here.
    const stats = [...sandbox.simulator.queries.values()]
    const once = stats.length === ORDERS && stats.every((s) => s.count === 1 && s.maxInFlight === 1)
    const [{ n: paidHere }] = await store.query(
      `select count(*)::int as n from akit_orders where id like $1 and state->>'paid' = 'true'`,
      [`${prefix}%`],
    )
    if (swept !== ORDERS || !once || paidHere !== paid)
      throw new Error(
        `wrong: swept ${swept} of ${ORDERS}, each once ${once}, paid here ${paidHere} of ${paid}`,
      )
    return { target, round, rate: swept / seconds, seconds, idleMs: median(idle), paid }
  } finally {
    await kit.close()
    await store.close()
    await sandbox.close()
  }
}

const targets = ['PostgreSQL', 'PGlite (disk)']
try {
  await pgDatabase('akit_sweep_probe')
} catch (error) {
  console.log(`  PostgreSQL not measured: ${error.message}`)
  targets.shift()
}
const results = []
for (let round = 1; round <= ROUNDS; round++)
  for (const target of targets) {
    const r = await measure(target, round)
    results.push(r)
    console.log(
      `  round ${round} ${target.padEnd(14)} ${Math.round(r.rate).toString().padStart(6)} orders/s swept (${ORDERS} in ${r.seconds.toFixed(1)} s, ${r.paid} found paid); idle pass ${r.idleMs.toFixed(2)} ms`,
    )
  }
if (targets.length === 2)
  for (let round = 1; round <= ROUNDS; round++) {
    const [a, b] = results.filter((r) => r.round === round)
    console.log(`  round ${round}: PGlite / PostgreSQL ${(b.rate / a.rate).toFixed(2)}× orders/s`)
  }
console.log(
  `  every order asked exactly once, never twice at once; the paid ones paid here (${ORDERS} orders, claims of 50, 8 queries at once per instance)`,
)
rmSync(work, { recursive: true, force: true })
