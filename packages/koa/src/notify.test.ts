import { createSign } from 'node:crypto'
import { createLegacyClient, md5Sign, StoreUnavailableError } from '@alipay-kit/core'
import {
  api,
  type Harness,
  MERCHANT_SECRET,
  openTestStore,
  Shopper,
  startHarness,
  storesUnderTest,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from './store/types.js'

/*
 * The notify endpoint on both stores: the same tests on PGlite and on the real PostgreSQL.
 * Duplicates, reordering and every forgery the simulator (or a test) can produce; each rejection
 * answers `fail`, changes nothing, and is in the notification log with its reason.
 */

const { stores } = await storesUnderTest()

describe.each(stores)('notifications on %s', (_name, open) => {
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

  const shopper = () => new Shopper(h.bff.url)
  const hooksOf = (id: string) => h.hookLog.filter((c) => c.orderId === id).map((c) => c.hook)
  const logOf = async (id: string) =>
    (
      await api<any>(`${h.bff.url}/api/merchant/orders/${id}`, {
        headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
      })
    ).body.notifications.map((n: any) => `${n.channel}:${n.outcome}${n.code ? `:${n.code}` : ''}`)
  const row = async (id: string) =>
    (
      await store.query<any>(
        'select trade_status, state, updated_at from akit_orders where id = $1',
        [id],
      )
    )[0]
  const deliveries = (id: string) => h.sandbox.simulator.deliveries.list(id)
  const shopperView = (id: string) =>
    api<any>(`${h.bff.url}/api/merchant/orders/${id}`, {
      headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
    }).then((r) => ({ ...r, body: r.body.order }))
  const settle = async (id: string, count: number) => {
    await expect
      .poll(() => deliveries(id).filter((d) => d.attempts.length > 0).length, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(count)
    await h.sandbox.simulator.deliveries.settle()
  }
  /** An order that reached the cashier (so Alipay knows the trade) but is not paid. */
  const openOrder = async (service: 'instant' | 'escrow' | 'page' = 'instant') => {
    const buyer = shopper()
    const created = await buyer.order(service)
    await buyer.browser.open(created.payment.url)
    return { buyer, created, id: created.order.id }
  }

  it('five concurrent copies of one notification: one transition, one onPaid, five `success`', async () => {
    const { id } = await openOrder()
    await h.sandbox.admin.setFaults({ duplicates: 5 }, id)
    await h.sandbox.admin.pay(id)
    await settle(id, 5)
    const answers = deliveries(id).map((d) => d.attempts.map((a) => `${a.status} ${a.answer}`))
    expect(answers).toEqual(Array(5).fill(['200 success']))
    expect(hooksOf(id)).toEqual(['onPaid'])
    const log = await logOf(id)
    expect(log.filter((entry: string) => entry === 'notify:applied')).toHaveLength(1)
    expect(log.filter((entry: string) => entry === 'notify:duplicate')).toHaveLength(4)
  })

  it('statuses delivered newest first: the furthest state wins, each hook once', async () => {
    const { id } = await openOrder('escrow')
    await h.sandbox.admin.setFaults({ reorder: true }, id)
    await h.sandbox.admin.pay(id)
    await h.sandbox.admin.act(id, 'ship')
    await h.sandbox.admin.act(id, 'confirm')
    await h.sandbox.admin.release(id)
    await settle(id, 3)
    expect((await row(id)).trade_status).toBe('TRADE_FINISHED')
    expect(hooksOf(id)).toEqual(['onPaid', 'onShipped', 'onFinished'])
    expect(await logOf(id)).toEqual(expect.arrayContaining(['notify:applied', 'notify:stale']))
  })

  it('GBK bytes and values with + % & = and CJK are read exactly', async () => {
    const { id } = await openOrder()
    await h.sandbox.admin.setFaults({ gbk: true, trickyValues: true }, id)
    await h.sandbox.admin.pay(id)
    await settle(id, 1)
    expect((await row(id)).trade_status).toBe('TRADE_SUCCESS')
    const kept = await store.query<any>(
      "select params from akit_notifications where order_id = $1 and outcome = 'applied'",
      [id],
    )
    expect(kept[0]?.params.extra_common_param).toBe('a+b=c&d 50% 龙井茶')
    expect(kept[0]?.params.sign).toBeUndefined() // signatures are not kept
  })

  /** A "paid" legacy notification for the order, correctly MD5-signed with the merchant's key. */
  function postLegacyPaid(id: string, notifyId: string) {
    const c = h.sandbox.credentials
    const fields = {
      notify_id: notifyId,
      out_trade_no: id,
      trade_status: 'TRADE_SUCCESS',
      total_fee: '128.00',
      seller_id: c.partner,
    }
    const body = new URLSearchParams({
      ...fields,
      sign: md5Sign(fields, c.key, 'utf-8'),
      sign_type: 'MD5',
    })
    return fetch(`${h.bff.url}/alipay/notify/legacy`, { method: 'POST', body })
  }

  describe('rejections change nothing and are logged with their reason', () => {
    it.each([
      [{ badSignature: true }, 'BAD_SIGNATURE'],
      [{ otherSeller: true }, 'WRONG_SELLER'],
    ] as const)('%j → %s', async (faults, code) => {
      const { id } = await openOrder()
      const before = await row(id)
      await h.sandbox.admin.setFaults(faults, id)
      await h.sandbox.admin.pay(id)
      await settle(id, 1)
      expect(deliveries(id)[0]?.attempts[0]).toMatchObject({ status: 400, answer: 'fail' })
      expect(await row(id)).toEqual(before)
      expect(hooksOf(id)).toEqual([])
      expect(await logOf(id)).toEqual([`notify:rejected:${code}`])
    })

    it('a correctly signed notification whose notify_id Alipay never issued → NOT_VERIFIED_BY_ALIPAY', async () => {
      const { id } = await openOrder()
      const before = await row(id)
      const response = await postLegacyPaid(id, 'forged-notify-id')
      expect([response.status, await response.text()]).toEqual([400, 'fail'])
      expect(await row(id)).toEqual(before)
      expect(await logOf(id)).toEqual(['notify:rejected:NOT_VERIFIED_BY_ALIPAY'])
    })

    it('one order’s notification replayed onto another breaks the signature', async () => {
      const a = await openOrder()
      const b = await openOrder()
      await h.sandbox.admin.setFaults({ reorder: true }, a.id) // hold A's notification to replay it
      await h.sandbox.admin.pay(a.id)
      const held = deliveries(a.id)[0]
      if (!held) throw new Error('no held notification')
      const replay = held.body.replace(a.id, b.id)
      const response = await fetch(`${h.bff.url}/alipay/notify/legacy`, {
        method: 'POST',
        headers: { 'content-type': held.contentType },
        body: replay,
      })
      expect([response.status, await response.text()]).toEqual([400, 'fail'])
      expect((await row(b.id)).trade_status).toBe('WAIT_BUYER_PAY')
      expect(await logOf(b.id)).toEqual(['notify:rejected:BAD_SIGNATURE'])
    })

    it('a payment for an order closed unpaid: applied as paid and flagged, answered success', async () => {
      const { id } = await openOrder()
      const closed = await api<any>(`${h.bff.url}/api/merchant/orders/${id}/close`, {
        method: 'POST',
        body: {},
        headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
      })
      expect(closed.body.phase).toBe('closed')
      await settle(id, 1)
      const notifyId = deliveries(id)[0]?.notifyId as string // a notify_id Alipay did issue
      const response = await postLegacyPaid(id, notifyId)
      // Answered success: the money is there; the merchant decides, not Alipay's retries.
      expect([response.status, await response.text()]).toEqual([200, 'success'])
      expect((await row(id)).trade_status).not.toBe('TRADE_CLOSED')
      const view = (await shopperView(id)).body
      expect(view).toMatchObject({
        phase: 'paid',
        paid: true,
        review: {
          code: 'PAID_AFTER_CLOSE',
          reason: expect.stringContaining('fulfil it, or refund it'),
        },
      })
      expect(hooksOf(id)).toEqual(['onClosed', 'onPaid', 'onReview'])
      // Told again: nothing new.
      expect((await postLegacyPaid(id, notifyId)).status).toBe(200)
      expect(hooksOf(id)).toEqual(['onClosed', 'onPaid', 'onReview'])
    })

    it('an amount nothing explains: held for review, not paid, once; Alipay stops retrying', async () => {
      const { id } = await openOrder()
      await h.sandbox.admin.setFaults({ amount: '0.01' }, id)
      await h.sandbox.admin.pay(id)
      await settle(id, 1)
      expect(deliveries(id)[0]?.attempts).toMatchObject([{ status: 200, answer: 'success' }])
      expect((await row(id)).trade_status).toBe('WAIT_BUYER_PAY')
      const view = (await shopperView(id)).body
      expect(view).toMatchObject({
        phase: 'review',
        paid: false,
        final: false,
        review: {
          code: 'AMOUNT_MISMATCH',
          charged: '0.01',
          reason: expect.stringContaining("differs from the order's"),
        },
      })
      expect(hooksOf(id)).toEqual(['onReview'])
      expect(await logOf(id)).toEqual(['notify:applied'])
    })

    it('a trade this shop never ordered → UNKNOWN_ORDER', async () => {
      const c = h.sandbox.credentials
      const alipay = createLegacyClient({
        partner: c.partner,
        key: c.key,
        gateway: h.sandbox.gatewayUrl,
      })
      const request = alipay.directPay({
        out_trade_no: `STRANGER${Date.now()}`,
        subject: 'not ours',
        total_fee: '1.00',
        notify_url: `${h.bff.url}/alipay/notify/legacy`,
        return_url: `${h.bff.url}/alipay/return/legacy`,
      })
      await fetch(request.url, { redirect: 'manual' })
      const no = request.params.out_trade_no as string
      await h.sandbox.admin.pay(no)
      await settle(no, 1)
      expect(deliveries(no)[0]?.attempts[0]).toMatchObject({ status: 400, answer: 'fail' })
      const log = await store.query<any>(
        'select outcome, code from akit_notifications where order_id = $1',
        [no],
      )
      expect(log).toEqual([{ outcome: 'rejected', code: 'UNKNOWN_ORDER' }])
      expect(await store.query('select id from akit_orders where id = $1', [no])).toEqual([])
    })

    it('Open Platform: signed with the app’s key instead of Alipay’s, or for another app', async () => {
      const { id } = await openOrder('page')
      const before = await row(id)
      const c = h.sandbox.credentials
      const post = async (fields: Record<string, string>, privateKey: string) => {
        const text = Object.keys(fields)
          .sort()
          .map((k) => `${k}=${fields[k]}`)
          .join('&')
        const sign = createSign('RSA-SHA256').update(text).sign(privateKey, 'base64')
        const response = await fetch(`${h.bff.url}/alipay/notify`, {
          method: 'POST',
          body: new URLSearchParams({ ...fields, sign, sign_type: 'RSA2' }),
        })
        return [response.status, await response.text()]
      }
      const fields = {
        app_id: c.appId,
        notify_id: 'n-open-1',
        out_trade_no: id,
        trade_status: 'TRADE_SUCCESS',
        total_amount: '128.00',
        seller_id: c.partner,
      }
      expect(await post(fields, c.appPrivateKey)).toEqual([400, 'fail'])
      expect(await post({ ...fields, app_id: '2021000000000009' }, c.alipayPrivateKey)).toEqual([
        400,
        'fail',
      ])
      expect(await post({ ...fields, seller_id: '2088000000000009' }, c.alipayPrivateKey)).toEqual([
        400,
        'fail',
      ])
      expect(await row(id)).toEqual(before)
      expect(await logOf(id)).toEqual([
        'notify:rejected:WRONG_SELLER',
        'notify:rejected:WRONG_APP',
        'notify:rejected:BAD_SIGNATURE',
      ])
    })

    it('a payment return never changes an order, even a genuine one', async () => {
      const { id, buyer, created } = await openOrder()
      await h.sandbox.admin.setFaults({ delayMs: 3_600_000 }, id) // the notification is late
      await buyer.pay(created)
      expect((await row(id)).trade_status).toBe('WAIT_BUYER_PAY')
      expect(await logOf(id)).toEqual(['return:verified'])
    })
  })
})

describe('the store goes away', () => {
  it('notify answers fail (503) so Alipay retries, health says the store is unreachable, and all converges after', async () => {
    const real = await openTestStore()
    let down = false
    // What a store adapter throws when its database cannot be reached (see src/store/unavailable.ts).
    const gone = () =>
      Promise.reject(new StoreUnavailableError('connect ECONNREFUSED 127.0.0.1:5432'))
    const flaky: Store = {
      kind: real.kind,
      query: (sql, params) => (down ? gone() : real.query(sql, params)),
      exec: (sql) => (down ? gone() : real.exec(sql)),
      transaction: (work) => (down ? gone() : real.transaction(work)),
      listen: (channel, callback) => real.listen(channel, callback),
      close: () => real.close(),
    }
    const h = await startHarness({ store: flaky })
    try {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('instant')
      await buyer.browser.open(created.payment.url)
      down = true
      const health = await fetch(`${h.bff.url}/healthz`)
      expect(health.status).toBe(503)
      expect(await health.json()).toEqual({
        ok: false,
        store: 'pglite: unreachable', // why goes to the log (src/security/health.test.ts)
      })
      await h.sandbox.admin.pay(created.order.id)
      const [delivery] = h.sandbox.simulator.deliveries.list(created.order.id)
      await expect.poll(() => delivery?.attempts.length).toBe(1)
      expect(delivery?.attempts[0]).toMatchObject({ status: 503, answer: 'fail' })
      const api503 = await buyer.call(`/api/orders/${created.order.id}`)
      expect([api503.status, api503.body.error.code]).toEqual([503, 'STORE_UNAVAILABLE'])

      down = false
      // Alipay's retry (4 minutes later in real life) is sent again here by hand.
      const retry = await fetch(delivery?.url as string, {
        method: 'POST',
        headers: { 'content-type': delivery?.contentType as string },
        body: delivery?.body as string,
      })
      expect(await retry.text()).toBe('success')
      expect((await buyer.orderView(created.order.id)).phase).toBe('paid')
      expect(h.hookLog.map((c) => c.hook)).toEqual(['onPaid'])
    } finally {
      await h.close()
      await real.close()
    }
  })
})
