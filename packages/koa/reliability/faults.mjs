import { startTcpProxy } from './tcp-proxy.mjs'
import { startWorld } from './world.mjs'

/** Status counts of every try of these deliveries ("200 success", "503 fail", "error: …"). */
function answers(world, ids) {
  const counts = {}
  for (const delivery of world.deliveries(ids))
    for (const attempt of delivery.attempts) {
      const key = attempt.status
        ? `${attempt.status} ${attempt.answer}`
        : `error: ${(attempt.error ?? '').slice(0, 40)}`
      counts[key] = (counts[key] ?? 0) + 1
    }
  return counts
}

/**
 * Duplicate storm across instances: every one of N paid notifications delivered `copies` times at
 * once (the simulator's duplicates fault), spread over two BFF processes by the balancer.
 */
export async function duplicateStorm({ pgUrl, orders = 200, copies = 5 }) {
  const world = await startWorld({ pgUrl, instances: 2, webhooks: true })
  try {
    const ids = await world.createOrders(orders)
    await world.sandbox.admin.setFaults({ duplicates: copies })
    const started = performance.now()
    await world.payAll(ids)
    const settled = await world.settled(ids)
    const seconds = (performance.now() - started) / 1000
    await new Promise((resolve) => setTimeout(resolve, 300)) // hooks finish right after their answers
    // The merchant's system hears of every payment (deliveries run after the commits).
    const paidEvent = new Set()
    const webhooksArrived = await world.receiver.until(() => {
      for (const { event } of world.receiver.events)
        if (event.type === 'order.paid') paidEvent.add(event.order.id)
      return ids.every((id) => paidEvent.has(id))
    })
    const facts = await world.facts(ids)
    const tries = answers(world, ids)
    return {
      orders,
      copies,
      deliveries: world.deliveries(ids).length,
      settled,
      seconds,
      notificationsPerSecond: (orders * copies) / seconds,
      tries,
      fiveHundreds: Object.entries(tries)
        .filter(([k]) => /^5\d\d/.test(k))
        .reduce((n, [, v]) => n + v, 0),
      spread: world.balancer.stats,
      ...facts,
      webhooksArrived,
      ...(await world.webhookFacts(ids)),
    }
  } finally {
    await world.close()
  }
}

/**
 * Crash mid-burst: N orders paid at once, one of two BFF processes killed with SIGKILL while the
 * notifications are in flight; Alipay's retries (sped up) and the balancer's failover must bring
 * every order to paid, none twice, none half-applied.
 */
export async function crashMidBurst({ pgUrl, orders = 100, killAfter = 0.3 }) {
  const world = await startWorld({ pgUrl, instances: 2, hookLockMs: 2_000, hookSweepMs: 500 })
  try {
    const ids = await world.createOrders(orders)
    const paying = world.payAll(ids, 8)
    // Kill instance A once about `killAfter` of the notifications have been answered.
    for (;;) {
      const answered = world.deliveries(ids).filter((d) => d.attempts.length > 0).length
      if (answered >= orders * killAfter) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const killedAt = world.deliveries(ids).filter((d) => d.state === 'delivered').length
    await world.bffs[0].kill('SIGKILL')
    await paying
    const settled = await world.settled(ids, 90_000)
    // Hook jobs A had claimed are taken over by B once their lock expires.
    const deadline = Date.now() + 20_000
    let facts = await world.facts(ids)
    while (facts.hookJobsDone < facts.hookJobs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      facts = await world.facts(ids)
    }
    return {
      orders,
      deliveredBeforeKill: killedAt,
      settled,
      tries: answers(world, ids),
      retried: world.deliveries(ids).filter((d) => d.attempts.length > 1).length,
      spread: world.balancer.stats,
      ...facts,
    }
  } finally {
    await world.close()
  }
}

/**
 * The database goes away: the BFF's connections to PostgreSQL are cut (a proxy in between) while
 * notifications arrive. Notify must answer `fail` (so Alipay retries), the BFF must stay up and say
 * what is wrong on /healthz, and after the database returns everything must converge.
 */
export async function databaseGone({ pgUrl, orders = 20, outageMs = 3_000 }) {
  const target = new URL(pgUrl)
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
  const throughProxy = new URL(pgUrl)
  throughProxy.hostname = '127.0.0.1'
  throughProxy.port = String(proxy.port)
  const world = await startWorld({
    pgUrl,
    storeUrl: throughProxy.toString(),
    instances: 1,
    hookLockMs: 2_000,
    hookSweepMs: 500,
  })
  try {
    const ids = await world.createOrders(orders)
    proxy.cut()
    await world.payAll(ids)
    await new Promise((resolve) => setTimeout(resolve, outageMs / 2))
    const health = await fetch(`${world.bffs[0].url}/healthz`)
    const healthDuring = { status: health.status, body: await health.json() }
    const aliveDuring = world.bffs[0].child.exitCode === null
    const duringTries = answers(world, ids)
    const paidDuring = (await world.facts(ids)).paidOrders
    await new Promise((resolve) => setTimeout(resolve, outageMs / 2))
    proxy.restore()
    const settled = await world.settled(ids, 90_000)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    const healthAfter = await (await fetch(`${world.bffs[0].url}/healthz`)).json()
    return {
      orders,
      healthDuring,
      aliveDuring,
      duringTries,
      paidDuring,
      settled,
      healthAfter,
      tries: answers(world, ids),
      ...(await world.facts(ids)),
    }
  } finally {
    await world.close()
    await proxy.close()
  }
}
