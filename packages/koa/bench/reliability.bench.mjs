// `pnpm bench`: the reliability suite at full size (the test command runs it bounded): a duplicate
// storm of 1,000 notifications × 5 over two BFF processes, kill -9 mid-burst with 500 in flight,
// PostgreSQL cut off, and 10,000 fuzzed requests. Prints each run's figures and whether it held.
// Sizes: RELIABILITY_ORDERS (1000), RELIABILITY_CRASH_ORDERS (500), RELIABILITY_FUZZ (10000).
import pg from 'pg'
import { crashMidBurst, databaseGone, duplicateStorm } from '../reliability/faults.mjs'
import { hostileInput } from '../reliability/fuzz.mjs'
import { createDatabase } from '../reliability/world.mjs'

const ADMIN_URL = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
const STORM = Number(process.env.RELIABILITY_ORDERS ?? 1_000)
const CRASH = Number(process.env.RELIABILITY_CRASH_ORDERS ?? 500)
const FUZZ = Number(process.env.RELIABILITY_FUZZ ?? 10_000)

console.log(
  '\n@alipay-kit/koa: reliability at full size (real processes, PostgreSQL, the simulator)',
)
try {
  const probe = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 })
  await probe.connect()
  await probe.end()
} catch (error) {
  console.log(`  not measured: PostgreSQL at ${ADMIN_URL} refused (${error.message})`)
  process.exit(process.env.CI ? 1 : 0)
}

const verdicts = []
/** Prints a check and remembers it; the bench exits non-zero if any failed. */
function check(label, ok, detail) {
  verdicts.push(ok)
  console.log(`  ${ok ? '✔' : '✘'} ${label}${detail ? `: ${detail}` : ''}`)
}

async function onFreshDatabase(run) {
  const database = await createDatabase(ADMIN_URL, 'akit_relbench')
  try {
    return await run(database.url)
  } finally {
    await database.drop()
  }
}

const tries = (counts) =>
  Object.entries(counts)
    .map(([answer, n]) => `${n} × ${answer}`)
    .join(', ')

console.log(`\n▸ duplicate storm: ${STORM} paid notifications × 5 copies over two instances`)
const storm = await onFreshDatabase((pgUrl) => duplicateStorm({ pgUrl, orders: STORM, copies: 5 }))
console.log(
  `  ${storm.deliveries} deliveries in ${storm.seconds.toFixed(1)} s (${Math.round(storm.notificationsPerSecond)} notifications/s through the balancer); answers: ${tries(storm.tries)}`,
)
console.log(`  balancer: ${JSON.stringify(storm.spread)}`)
check(
  'every delivery answered success',
  storm.settled && storm.tries['200 success'] === storm.deliveries,
)
check('no 5xx', storm.fiveHundreds === 0, `${storm.fiveHundreds}`)
check(
  `exactly ${STORM} paid transitions`,
  storm.paidTransitions === STORM,
  `${storm.paidTransitions}`,
)
check(
  `exactly ${STORM} onPaid calls`,
  storm.hookCalls === STORM,
  `${storm.hookCalls} calls on ${storm.ordersWithHookCall} orders`,
)
check('nothing half-applied', storm.halfApplied === 0, `${storm.halfApplied}`)
check(
  `exactly one order.paid webhook event id for each of the ${STORM} orders, every one delivered`,
  storm.webhooksArrived &&
    storm.ordersWithOnePaidEvent === STORM &&
    storm.webhooksPending === 0 &&
    storm.webhookRefused === 0,
  `${storm.ordersWithOnePaidEvent} orders, ${storm.webhookReceipts} receipts of ${storm.webhookEventIds} ids, ${storm.webhooksPending} pending, ${storm.webhookRefused} refused`,
)

console.log(`\n▸ crash mid-burst: ${CRASH} orders paid at once, kill -9 of one of two instances`)
const crash = await onFreshDatabase((pgUrl) => crashMidBurst({ pgUrl, orders: CRASH }))
console.log(
  `  killed after ${crash.deliveredBeforeKill} deliveries; ${crash.retried} deliveries needed Alipay's retries; answers: ${tries(crash.tries)}`,
)
check(
  'every order reached paid',
  crash.settled && crash.paidOrders === CRASH,
  `${crash.paidOrders}`,
)
check(
  'no order paid twice',
  crash.paidTransitions === CRASH,
  `${crash.paidTransitions} paid transitions`,
)
check('nothing half-applied', crash.halfApplied === 0, `${crash.halfApplied}`)
check(
  'every onPaid ran; re-runs only for hooks the dead process held',
  crash.ordersWithHookCall === CRASH && crash.hookCalls - CRASH === crash.hookRanTwice,
  `${crash.hookCalls} calls, ${crash.hookRanTwice} orders' hook ran again after the crash`,
)

console.log('\n▸ database gone: PostgreSQL cut off for 6 s while 100 notifications arrive')
const gone = await onFreshDatabase((pgUrl) => databaseGone({ pgUrl, orders: 100, outageMs: 6_000 }))
console.log(
  `  during the outage: ${tries(gone.duringTries)}; /healthz ${gone.healthDuring.status} ${JSON.stringify(gone.healthDuring.body)}`,
)
check(
  'notify answered fail (never success) while the database was away',
  gone.paidDuring === 0 && Object.keys(gone.duringTries).every((k) => k === '503 fail'),
)
check('the BFF stayed up and said why', gone.aliveDuring && gone.healthDuring.status === 503)
check(
  'everything converged after',
  gone.settled && gone.paidTransitions === 100 && gone.hookCalls === 100,
  `${gone.paidTransitions} paid, ${gone.hookCalls} onPaid`,
)

console.log(`\n▸ hostile input: ${FUZZ} generated requests to every route`)
const fuzz = await hostileInput({ adminUrl: ADMIN_URL, count: FUZZ, seed: 7 })
console.log(
  `  ${fuzz.requests} requests in ${fuzz.seconds.toFixed(1)} s; answers ${JSON.stringify(fuzz.statuses)}; heap ${fuzz.heapStartMb.toFixed(1)} → ${fuzz.heapEndMb.toFixed(1)} MB after GC, RSS ${fuzz.rssEndMb.toFixed(0)} MB`,
)
check('no 5xx', fuzz.fiveHundreds.length === 0, `${fuzz.fiveHundreds.length}`)
check(
  'no transport errors, the process stayed up',
  fuzz.alive && Object.keys(fuzz.errors).length === 0,
)
check('nothing of the business changed', fuzz.businessUnchanged)
check('heap flat (< 20 MB growth)', fuzz.heapEndMb - fuzz.heapStartMb < 20)

const failed = verdicts.filter((ok) => !ok).length
console.log(failed ? `\n${failed} reliability check(s) failed` : '\nall reliability checks held')
process.exit(failed ? 1 : 0)
