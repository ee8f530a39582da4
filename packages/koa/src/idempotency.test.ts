import { createMerchantClient } from '@alipay-kit/client'
import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import {
  type Bff,
  type Harness,
  MERCHANT_SECRET,
  recordingHooks,
  Shopper,
  startBff,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Idempotent merchant calls (src/http/idempotency.ts): a refund retried with one Idempotency-Key
 * refunds once, here and at Alipay (its request number is the key's), also when the first answer
 * was lost and the retry runs again, and from two instances at once.
 */

const { stores, pg } = await storesUnderTest()

const call = (url: string, path: string, body: unknown, key?: string) =>
  fetch(`${url}/api/merchant${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${MERCHANT_SECRET}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  }).then(async (r) => ({
    status: r.status,
    replayed: r.headers.get('idempotent-replayed') === 'true',
    body: (await r.json()) as any,
  }))

/** A paid order of `service` (its trade open at the simulator, paid, the notification applied). */
async function paidOrder(
  h: { bff: { url: string }; sandbox: RunningSandbox },
  service: 'page' | 'instant',
) {
  const buyer = new Shopper(h.bff.url)
  const created = await buyer.order(service, [{ sku: 'tea-longjing', quantity: 1 }])
  await buyer.payAtSimulator(h.sandbox, created)
  return created.order.id
}

describe.each(stores)('idempotent merchant calls on %s', (_name, open) => {
  let h: Harness
  let store: Store
  beforeAll(async () => {
    store = await open()
    h = await startHarness({ store })
  })
  afterAll(async () => {
    await h.close()
    await store.close()
  })
  const refundsAtAlipay = async (id: string) => (await h.sandbox.admin.trade(id)).trade.refunds

  it('a refund retried five times with one key refunds once, at Alipay too', async () => {
    const id = await paidOrder(h, 'page')
    const answers = []
    for (let i = 0; i < 5; i++)
      answers.push(await call(h.bff.url, `/orders/${id}/refund`, { amount: '1.00' }, 'refund-A'))
    expect(answers.map((a) => [a.status, a.replayed])).toEqual([
      [200, false],
      [200, true],
      [200, true],
      [200, true],
      [200, true],
    ])
    for (const answer of answers) expect(answer.body).toEqual(answers[0]?.body)
    expect(await refundsAtAlipay(id)).toHaveLength(1)
    // The same key for another request: refused, nothing done.
    const other = await call(h.bff.url, `/orders/${id}/refund`, { amount: '2.00' }, 'refund-A')
    expect([other.status, other.body.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED'])
    expect(other.body.error.message).toContain('use a new key')
    expect(await refundsAtAlipay(id)).toHaveLength(1)
    // Without a key, a call is a new refund each time (as before).
    expect((await call(h.bff.url, `/orders/${id}/refund`, { amount: '1.00' })).status).toBe(200)
    expect(await refundsAtAlipay(id)).toHaveLength(2)
    // The typed merchant client sends the key.
    const merchant = createMerchantClient({ baseUrl: h.bff.url, secret: MERCHANT_SECRET })
    const first = await merchant.refund(id, { amount: '1.00' }, { idempotencyKey: 'client-1' })
    const second = await merchant.refund(id, { amount: '1.00' }, { idempotencyKey: 'client-1' })
    expect(second).toEqual(first)
    expect(await refundsAtAlipay(id)).toHaveLength(3)
  })

  it('when the first answer was lost, the retry runs again and Alipay dedupes it (both gateways)', async () => {
    for (const service of ['page', 'instant'] as const) {
      const id = await paidOrder(h, service)
      const key = `lost-${service}-${id}`
      expect((await call(h.bff.url, `/orders/${id}/refund`, { amount: '1.00' }, key)).status).toBe(
        200,
      )
      // As if the instance died before keeping the answer: no answer, the lock run out.
      await store.query(
        'update akit_idempotency_keys set status = null, response = null, locked_until = now() where key = $1',
        [key],
      )
      const retry = await call(h.bff.url, `/orders/${id}/refund`, { amount: '1.00' }, key)
      expect(retry.status, JSON.stringify(retry.body)).toBe(200)
      expect(retry.replayed).toBe(false)
      expect(await refundsAtAlipay(id), service).toHaveLength(1)
    }
  })

  it('close and ship replay their first answer instead of a 409 for the changed order', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    await fetch(created.payment.url, { redirect: 'manual' })
    const first = await call(h.bff.url, `/orders/${created.order.id}/close`, {}, 'close-1')
    const again = await call(h.bff.url, `/orders/${created.order.id}/close`, {}, 'close-1')
    expect([first.status, again.status, again.replayed]).toEqual([200, 200, true])
    expect(again.body).toEqual(first.body)
    // Without the key the second close is refused: the order is closed now.
    expect((await call(h.bff.url, `/orders/${created.order.id}/close`, {})).status).toBe(409)
    // A refusal is an answer too: replayed, not repeated.
    const refused = await call(
      h.bff.url,
      `/orders/${created.order.id}/ship`,
      { logisticsName: '顺丰' },
      'ship-1',
    )
    const refusedAgain = await call(
      h.bff.url,
      `/orders/${created.order.id}/ship`,
      { logisticsName: '顺丰' },
      'ship-1',
    )
    expect([refused.status, refusedAgain.status, refusedAgain.replayed]).toEqual([409, 409, true])
    const bad = await call(h.bff.url, `/orders/${created.order.id}/close`, {}, 'k'.repeat(300))
    expect([bad.status, bad.body.error.field]).toEqual([400, 'Idempotency-Key'])
  })
})

describe.skipIf(!pg)('one key from two instances at once', () => {
  let sandbox: RunningSandbox
  let instanceStores: Store[]
  let a: Bff
  let b: Bff
  beforeAll(async () => {
    sandbox = await startSandbox()
    instanceStores = [await openStore(pg?.url as string), await openStore(pg?.url as string)]
    a = await startBff(sandbox, instanceStores[0] as Store, { hooks: recordingHooks([]) })
    b = await startBff(sandbox, instanceStores[1] as Store, { hooks: recordingHooks([]) })
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    for (const store of instanceStores ?? []) await store.close()
    await sandbox?.close()
  })

  it('refunds once: one runs it, the others get 409 while it runs, then its answer', async () => {
    const id = await paidOrder({ bff: a, sandbox }, 'page')
    const answers = await Promise.all(
      [a, b, a, b, a, b].map((bff) =>
        call(bff.url, `/orders/${id}/refund`, { amount: '1.00' }, 'both'),
      ),
    )
    expect(answers.filter((x) => x.status === 200 && !x.replayed)).toHaveLength(1)
    for (const answer of answers) expect([200, 409]).toContain(answer.status)
    for (const busy of answers.filter((x) => x.status === 409))
      expect(busy.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE')
    const after = await call(b.url, `/orders/${id}/refund`, { amount: '1.00' }, 'both')
    expect([after.status, after.replayed]).toEqual([200, true])
    expect((await sandbox.admin.trade(id)).trade.refunds).toHaveLength(1)
  })
})
