// One BFF instance in its own process, for the reliability suite: the kit (built) on the store
// given, against the simulator given, with an onPaid hook that records every call in the store
// (table reliability_hook_calls), so calls from every instance can be counted. Prints READY <url>.
// Answers {type: 'memory'} over IPC with its memory figures.
import { createServer } from 'node:http'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import Koa from 'koa'
import { pino } from 'pino'

// The configuration (keys included) comes over IPC, never on the command line where `ps` shows it.
const config = await new Promise((resolve) => process.once('message', resolve))
const store = await openStore(config.store, { max: 10, onListenError: () => {} })
await store.query(
  'create table if not exists reliability_hook_calls (id bigserial primary key, order_id text not null, key text not null, pid int not null, at timestamptz not null default now())',
)
const record = async ({ order, key }) => {
  await store.query('insert into reliability_hook_calls (order_id, key, pid) values ($1, $2, $3)', [
    order.id,
    key,
    process.pid,
  ])
}
const server = createServer()
await new Promise((resolve) => server.listen(config.port ?? 0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}`
const c = config.credentials
const kit = await createAlipayKit({
  publicUrl: config.publicUrl ?? url,
  open: {
    appId: c.appId,
    privateKey: c.appPrivateKey,
    alipayPublicKey: c.alipayPublicKey,
    gateway: `${config.sandboxUrl}/gateway.do`,
    sellerId: c.partner,
  },
  legacy: {
    partner: c.partner,
    key: c.key,
    gateway: `${config.sandboxUrl}/gateway.do`,
    sellerEmail: c.sellerEmail,
  },
  store,
  pricing: catalogPricing([{ sku: 'tea', name: '龙井茶', price: '1.00' }]),
  hooks: { onPaid: record },
  merchantApiSecret: 'reliability-merchant-secret-0123456789',
  // The storms send thousands of orders from one address; the limits have their own tests.
  rateLimits: config.rateLimits ?? false,
  hookLockMs: config.hookLockMs ?? 60_000,
  hookSweepMs: config.hookSweepMs ?? 10_000,
  queryAfterReturnMs: 500,
  // The simulator runs 1,000× faster than this process's clock: a 30-minute expiry would pass at
  // Alipay in under two seconds. Alipay's longest (15 days) lasts about 21 minutes there.
  paymentExpiryMinutes: 21_600,
  ...(config.webhooks
    ? { webhooks: config.webhooks, webhookPollMs: config.webhookPollMs ?? 100 }
    : {}),
  logger: pino({ level: 'silent' }),
})
const app = new Koa()
app.silent = true
app.use(kit.middleware)
server.on('request', app.callback())

// The histogram records whole timer intervals (resolution included): the delay is what lies beyond.
const RESOLUTION_MS = 10
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
delay.enable()
const beyondResolution = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS)
let cpuSince = { usage: process.cpuUsage(), at: performance.now() }
/** This process's CPU use since the last report, in % of one core. */
function cpuPercent() {
  const usage = process.cpuUsage(cpuSince.usage)
  const elapsedMs = performance.now() - cpuSince.at
  cpuSince = { usage: process.cpuUsage(), at: performance.now() }
  return ((usage.user + usage.system) / 1000 / elapsedMs) * 100
}
process.on('message', (message) => {
  if (message?.type === 'memory') {
    global.gc?.()
    const memory = process.memoryUsage()
    process.send({
      type: 'memory',
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      streams: kit.events.size,
      eventLoopDelayP99Ms: beyondResolution(delay.percentile(99)),
      eventLoopDelayMeanMs: beyondResolution(delay.mean),
      cpuPercent: cpuPercent(),
    })
    delay.reset()
  }
})
process.once('SIGTERM', async () => {
  await kit.close()
  server.closeAllConnections()
  server.close()
  await store.close()
  process.exit(0)
})
console.log(`READY ${url}`)
