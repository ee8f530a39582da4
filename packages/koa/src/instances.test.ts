import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import {
  type Bff,
  createTestDatabase,
  type HookLog,
  openEventStream,
  recordingHooks,
  Shopper,
  startBff,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Two BFF instances on one PostgreSQL: every notification delivered to both at once, many times.
 * Each hook runs exactly once, and an SSE client on the other instance hears the change.
 */

const pg = await createTestDatabase()

describe.skipIf(!pg)('two BFF instances on one PostgreSQL', () => {
  let sandbox: RunningSandbox
  let stores: Store[]
  let a: Bff
  let b: Bff
  const hookLog: HookLog = []

  beforeAll(async () => {
    sandbox = await startSandbox()
    stores = [await openStore(pg?.url as string), await openStore(pg?.url as string)]
    a = await startBff(sandbox, stores[0] as Store, { hooks: recordingHooks(hookLog) })
    b = await startBff(sandbox, stores[1] as Store, { hooks: recordingHooks(hookLog) })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    for (const store of stores ?? []) await store.close()
    await sandbox?.close()
    await pg?.drop()
  })

  it('20 orders, each notification posted 10 times to each instance at once: 20 onPaid, all `success`', async () => {
    const orders = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const buyer = new Shopper(a.url)
        const created = await buyer.order('instant', [{ sku: 'cup', quantity: 1 }])
        await buyer.browser.open(created.payment.url)
        // Hold Alipay's own delivery: the test delivers the genuine, signed notification itself.
        await sandbox.admin.setFaults({ reorder: true }, created.order.id)
        await sandbox.admin.pay(created.order.id)
        const [held] = sandbox.simulator.deliveries.list(created.order.id)
        return { created, held }
      }),
    )
    // An SSE client on instance B follows an order whose notifications all go to instance A first.
    const watched = orders[0]?.created
    const stream = await openEventStream(
      `${b.url}/api/orders/${watched?.order.id}/events?token=${watched?.accessToken}`,
    )
    await stream.next((event) => event.phase === 'waiting')

    const posts = orders.flatMap(({ held }) =>
      [a, b].flatMap((bff) =>
        Array.from({ length: 10 }, () =>
          fetch(`${bff.url}/alipay/notify/legacy`, {
            method: 'POST',
            headers: { 'content-type': held?.contentType as string },
            body: held?.body as string,
          }).then(async (response) => `${response.status} ${await response.text()}`),
        ),
      ),
    )
    const answers = await Promise.all(posts)
    expect(answers).toHaveLength(400)
    expect(new Set(answers)).toEqual(new Set(['200 success']))

    const paidHooks = hookLog.filter((call) => call.hook === 'onPaid')
    expect(paidHooks).toHaveLength(20)
    expect(new Set(paidHooks.map((call) => call.orderId)).size).toBe(20)
    const events = await (stores[0] as Store).query<{ n: number }>(
      "select count(*)::int as n from akit_order_events where event = 'paid'",
    )
    expect(Number(events[0]?.n)).toBe(20)

    const paid = await stream.next((event) => event.phase === 'paid')
    expect(paid).toMatchObject({ id: watched?.order.id, paid: true, final: true })
    await stream.close()
  })

  it('an SSE client on A hears a change that reached B', async () => {
    const buyer = new Shopper(b.url)
    const created = await buyer.order('page')
    await buyer.browser.open(created.payment.url)
    const stream = await openEventStream(
      `${a.url}/api/orders/${created.order.id}/events?token=${created.accessToken}`,
    )
    expect(stream.contentType).toContain('text/event-stream')
    await sandbox.admin.pay(created.order.id) // the notify URL of this order is B's
    expect(await stream.next((event) => event.phase === 'paid')).toMatchObject({
      tradeStatus: 'TRADE_SUCCESS',
    })
    await stream.close()
  })
})
