import { startSandbox } from '@alipay-kit/sandbox'
import pg from 'pg'
import { startBalancer } from './balancer.mjs'
import { startBffProcess } from './processes.mjs'
import { startWebhookReceiver } from './webhook-receiver.mjs'

/**
 * A small production in a box: the simulator (time sped up, so Alipay's retry schedule runs in
 * seconds), BFF instances in their own processes on one PostgreSQL, and a load balancer in front
 * of them that Alipay's notifications and the buyers' requests go through.
 */
export async function startWorld({
  pgUrl,
  storeUrl = pgUrl,
  instances = 2,
  timeScale = 1000,
  hookLockMs = 2_000,
  hookSweepMs = 500,
  webhooks = false,
}) {
  const sandbox = await startSandbox({ timeScale })
  // The merchant's own system, told of every order event by signed webhooks.
  const receiver = webhooks ? await startWebhookReceiver() : undefined
  const backends = []
  const balancer = await startBalancer(backends)
  const bffs = []
  for (let i = 0; i < instances; i++) {
    const bff = await startBffProcess({
      store: storeUrl,
      credentials: sandbox.credentials,
      sandboxUrl: sandbox.url,
      publicUrl: balancer.url,
      hookLockMs,
      hookSweepMs,
      ...(receiver ? { webhooks: { urls: [receiver.url], secret: receiver.secret } } : {}),
    })
    bffs.push(bff)
    backends.push(bff.url)
  }
  const db = new pg.Pool({ connectionString: pgUrl, max: 4 })
  return {
    sandbox,
    receiver,
    balancer,
    bffs,
    db,
    /** Creates orders through the balancer and opens each one's cashier, so Alipay knows the trade. */
    async createOrders(count, concurrency = 16) {
      const ids = []
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < count) {
            next++
            const response = await fetch(`${balancer.url}/api/orders`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
              body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }], service: 'page' }),
            })
            if (response.status !== 201)
              throw new Error(`order: ${response.status} ${await response.text()}`)
            const { order, payment } = await response.json()
            await fetch(payment.url, { redirect: 'manual' }) // the trade now exists at Alipay
            ids.push(order.id)
          }
        }),
      )
      return ids
    },
    /** The buyer pays every order at Alipay (each payment sends its notification). */
    async payAll(ids, concurrency = 16) {
      let next = 0
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < ids.length) await sandbox.admin.pay(ids[next++])
        }),
      )
    },
    /** Every delivery of these orders, with its tries. */
    deliveries(ids) {
      const wanted = new Set(ids)
      return sandbox.simulator.deliveries.list().filter((d) => wanted.has(d.outTradeNo))
    },
    /** Waits until every delivery of these orders is answered `success` (or a deadline passes). */
    async settled(ids, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const all = this.deliveries(ids)
        if (all.length > 0 && all.every((d) => d.state === 'delivered')) return true
        if (Date.now() > deadline) return false
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    /** What the store says about these orders: transitions, hook calls, consistency. */
    async facts(ids) {
      const q = async (sql) => (await db.query(sql, [ids])).rows
      const [orders] = await q(
        "select count(*) filter (where state->>'paid' = 'true')::int as paid, count(*)::int as total from akit_orders where id = any($1)",
      )
      const [events] = await q(
        "select count(*)::int as paid_events, count(distinct order_id)::int as orders from akit_order_events where event = 'paid' and order_id = any($1)",
      )
      const [calls] = await q(
        'select count(*)::int as calls, count(distinct order_id)::int as orders from reliability_hook_calls where order_id = any($1)',
      )
      const [jobs] = await q(
        "select count(*) filter (where state = 'done')::int as done, count(*)::int as total from akit_hook_jobs where order_id = any($1)",
      )
      // Half-applied: a paid order without its event or hook job, or an event without a paid order.
      const [half] = await q(`
        select count(*)::int as n from akit_orders o
        where o.id = any($1) and (
          (o.state->>'paid' = 'true') <> exists (select 1 from akit_order_events e where e.order_id = o.id and e.event = 'paid')
          or (o.state->>'paid' = 'true') <> exists (select 1 from akit_hook_jobs j where j.order_id = o.id and j.event = 'paid'))`)
      const twice = await q(
        'select order_id from reliability_hook_calls where order_id = any($1) group by order_id having count(*) > 1',
      )
      return {
        orders: orders.total,
        paidOrders: orders.paid,
        paidTransitions: events.paid_events,
        hookCalls: calls.calls,
        ordersWithHookCall: calls.orders,
        hookJobsDone: jobs.done,
        hookJobs: jobs.total,
        halfApplied: half.n,
        hookRanTwice: twice.length,
      }
    },
    /**
     * What the webhook receiver got for these orders: receipts, distinct event ids, the orders
     * with exactly one `order.paid` id, and the deliveries the store still has pending.
     */
    async webhookFacts(ids) {
      const wanted = new Set(ids)
      const mine = receiver.events.filter((r) => wanted.has(r.event.order.id))
      const paidIds = new Map()
      for (const { event } of mine)
        if (event.type === 'order.paid')
          paidIds.set(event.order.id, (paidIds.get(event.order.id) ?? new Set()).add(event.id))
      // A delivery is marked delivered just after its 200: give the last ones a moment.
      const deadline = Date.now() + 5_000
      let pending
      do {
        ;[pending] = (
          await db.query(
            "select count(*)::int as n from akit_webhook_deliveries where order_id = any($1) and state <> 'delivered'",
            [ids],
          )
        ).rows
        if (pending.n > 0) await new Promise((resolve) => setTimeout(resolve, 100))
      } while (pending.n > 0 && Date.now() < deadline)
      return {
        webhookReceipts: mine.length,
        webhookEventIds: new Set(mine.map((r) => r.event.id)).size,
        ordersWithOnePaidEvent: [...paidIds.values()].filter((set) => set.size === 1).length,
        webhookRefused: receiver.refused.length,
        webhooksPending: pending.n,
      }
    },
    async close() {
      for (const bff of bffs) await bff.kill('SIGTERM')
      await receiver?.close()
      await balancer.close()
      await sandbox.close()
      await db.end()
    },
  }
}

/** A fresh database on the server (dropped by the returned function). */
export async function createDatabase(adminUrl, prefix = 'akit_rel') {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
