import { createHash, randomBytes } from 'node:crypto'
import type { MerchantOrderView } from '@alipay-kit/client'
import { openStore, type Store } from '@alipay-kit/koa'
import {
  createTestDatabase,
  type Harness,
  openTestStore,
  Shopper,
  type startBff,
  startHarness,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Issue 25, finding 3 (docs/security.md, "Unauthenticated writes"): anyone can POST to the notify
 * endpoints and GET the return pages, and every refusal was kept with up to 100 fields of 2,000
 * characters each (300 junk posts grew the log by some 17 MB), junk naming a real out_trade_no
 * pushed the order's genuine entries out of its log view, nothing ever deleted old log rows, and
 * each cookieless PUT /api/cart made a 7-day session row. Every attack here is real HTTP.
 */

/** A store of its own for each harness (the log's counts are per shop): PGlite, and PostgreSQL when it answers. */
type OpenStore = () => Promise<{ store: Store; drop(): Promise<void> }>
const pgliteStore: OpenStore = async () => ({ store: await openTestStore(), drop: async () => {} })
const postgresStore: OpenStore = async () => {
  const db = await createTestDatabase()
  if (!db) throw new Error('PostgreSQL went away')
  return { store: await openStore(db.url), drop: () => db.drop() }
}
const probe = await createTestDatabase()
await probe?.drop()
const stores: Array<[string, OpenStore]> = [
  ['PGlite', pgliteStore],
  ...(probe ? [['PostgreSQL', postgresStore] as [string, OpenStore]] : []),
]

type KitOptions = NonNullable<NonNullable<Parameters<typeof startBff>[2]>['kit']>

/** Junk as a flood would send it: ~60 kB of incompressible fields, a form Alipay never signed. */
function junkBody(fields: Record<string, string> = {}, count = 100, size = 560): string {
  const form = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  for (let i = 0; form.size < count; i++)
    form.set(`f${i}`, randomBytes(size).toString('base64url').slice(0, size))
  form.set('sign_type', 'RSA2')
  form.set('sign', randomBytes(256).toString('base64'))
  return form.toString()
}

function postNotify(h: Harness, body: string, path = '/alipay/notify') {
  return fetch(`${h.bff.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  })
}

/** Sends every body, a few at a time (as a flood would), and checks each was refused. */
async function flood(h: Harness, bodies: readonly string[], path?: string): Promise<void> {
  const queue = [...bodies]
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let body = queue.shift(); body !== undefined; body = queue.shift()) {
        const answer = await postNotify(h, body, path)
        expect([answer.status, await answer.text()]).toEqual([400, 'fail'])
      }
    }),
  )
}

async function logSize(h: Harness): Promise<{ bytes: number; rows: number }> {
  const [row] = await h.store.query<{ bytes: string; rows: string }>(
    `select pg_total_relation_size('akit_notifications')::bigint as bytes,
            (select count(*) from akit_notifications)::bigint as rows`,
  )
  return { bytes: Number(row?.bytes), rows: Number(row?.rows) }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

function withHarness(open: OpenStore, kit: KitOptions = {}): { get(): Harness } {
  let h: Harness | undefined
  let drop = async () => {}
  beforeAll(async () => {
    const opened = await open()
    drop = opened.drop
    h = await startHarness({ store: opened.store, kit })
  })
  afterAll(async () => {
    const store = h?.store
    await h?.close()
    await store?.close()
    await drop()
  })
  return { get: () => h as Harness }
}

describe.each(stores)('the notification log under unverified writes, on %s', (_name, open) => {
  describe('with the default limits', () => {
    const harness = withHarness(open)

    it('an unverified message keeps a digest and a few bounded fields, not its 100 fields', async () => {
      const h = harness.get()
      const longId = `X${'9'.repeat(500)}`
      const body = junkBody({
        out_trade_no: longId,
        notify_id: 'n'.repeat(400),
        trade_status: 'TRADE_SUCCESS',
      })
      await flood(h, [body])
      const [row] = await h.store.query<Record<string, any>>(
        `select *, pg_column_size(params) as params_size, octet_length(coalesce(reason, '')) as reason_size
         from akit_notifications where digest = $1`,
        [sha256(body)],
      )
      expect(row).toBeDefined()
      expect(row?.verified).toBe(false)
      expect(row?.repeats).toBe(1)
      expect(row?.bytes).toBe(Buffer.byteLength(body))
      // Only the fields that explain the refusal, each cut short: never the 100 junk fields.
      expect(Object.keys(row?.params).sort()).toEqual([
        'notify_id',
        'out_trade_no',
        'sign_type',
        'trade_status',
      ])
      for (const value of Object.values(row?.params as Record<string, string>))
        expect(value.length).toBeLessThanOrEqual(128)
      expect(Number(row?.params_size)).toBeLessThan(1024)
      expect(Number(row?.reason_size)).toBeLessThanOrEqual(256)
      // Junk naming an order is no entry of that order, only a claim.
      expect(row?.order_id).toBeNull()
      expect(row?.claimed_order_id).toBe(longId.slice(0, 128))
    })

    it('the same junk sent again is counted on its first entry, not kept again', async () => {
      const h = harness.get()
      const body = junkBody({ out_trade_no: 'REPLAYED' })
      const before = await logSize(h)
      await flood(
        h,
        Array.from({ length: 50 }, () => body),
      )
      const rows = await h.store.query<{ repeats: number }>(
        'select repeats from akit_notifications where digest = $1',
        [sha256(body)],
      )
      // One entry (two if the hour turned meanwhile: repeats count within the hour) for all 50.
      expect(rows.length).toBeGreaterThanOrEqual(1)
      expect(rows.length).toBeLessThanOrEqual(2)
      expect(rows.reduce((sum, row) => sum + row.repeats, 0)).toBe(50)
      expect((await logSize(h)).rows).toBe(before.rows + rows.length)
    })

    it('300 different junk posts grow the log by kilobytes, not megabytes, and every one is counted', async () => {
      const h = harness.get()
      const before = await logSize(h)
      const [start] = await h.store.query<{ at: Date }>('select now() as at')
      const bodies = Array.from({ length: 300 }, (_, i) => junkBody({ out_trade_no: `JUNK${i}` }))
      await flood(h, bodies.slice(0, 150))
      await flood(h, bodies.slice(150), '/alipay/notify/legacy')
      const after = await logSize(h)
      // Before the fix: +17.9 MB and 300 rows (one of ~60 kB each), on both stores.
      const grew = `akit_notifications ${before.bytes} → ${after.bytes} bytes, +${after.rows - before.rows} rows`
      // At most `refusedPerMinute` (60) entries of their own a minute, the rest counted on one
      // entry per gateway, channel and code (a minute boundary may split it in two).
      expect(after.rows - before.rows, grew).toBeLessThanOrEqual(60 + 4)
      expect(after.bytes - before.bytes, grew).toBeLessThan(512 * 1024)
      const [total] = await h.store.query<{ n: string }>(
        'select sum(repeats)::bigint as n from akit_notifications where not verified and received_at >= $1',
        [start?.at],
      )
      expect(Number(total?.n)).toBe(300)
    })
  })

  describe('an order’s log view', () => {
    // Every refusal kept one by one here: the view alone must keep the genuine entries in sight.
    const harness = withHarness(open, { retention: { refusedPerMinute: 10_000 } })

    it('junk naming a real order never pushes its verified entries out of its view', async () => {
      const h = harness.get()
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await buyer.payAtSimulator(h.sandbox, created)
      const id = created.order.id
      await flood(
        h,
        Array.from({ length: 150 }, () =>
          junkBody(
            {
              out_trade_no: id,
              trade_status: 'TRADE_CLOSED',
              notify_id: randomBytes(8).toString('hex'),
            },
            20,
            40,
          ),
        ),
      )
      const { status, body } = await h.merchant<MerchantOrderView>(`/orders/${id}`)
      expect(status).toBe(200)
      // The payment's own entry is still in the view, whatever the junk.
      expect(body.notifications.map((n) => [n.channel, n.outcome])).toContainEqual([
        'notify',
        'applied',
      ])
      const genuine = body.notifications.filter((n) => n.verified)
      const junk = body.notifications.filter((n) => !n.verified)
      expect(genuine.map((n) => [n.channel, n.outcome])).toContainEqual(['notify', 'applied'])
      expect(genuine.every((n) => n.orderId === id)).toBe(true)
      // The claims are shown too (a wrong key refuses Alipay's own messages), but a few only.
      expect(junk.length).toBe(20)
      expect(junk.every((n) => n.code === 'BAD_SIGNATURE' && n.repeats === 1)).toBe(true)
      // Newest first, whichever kind.
      const ids = body.notifications.map((n) => n.id)
      expect(ids).toEqual([...ids].sort((a, b) => b - a))
    })
  })

  describe('retention', () => {
    const harness = withHarness(open)

    it('the log-retention job drops refused entries after 7 days and verified ones after 90', async () => {
      const h = harness.get()
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await buyer.payAtSimulator(h.sandbox, created)
      await flood(h, [junkBody({ out_trade_no: created.order.id }, 10, 20)])
      const count = async (verified: boolean) =>
        Number(
          (
            await h.store.query<{ n: string }>(
              'select count(*)::bigint as n from akit_notifications where verified = $1',
              [verified],
            )
          )[0]?.n,
        )
      const [verified, refused] = [await count(true), await count(false)]
      expect([verified > 0, refused]).toEqual([true, 1])
      const age = (days: number) =>
        h.store.query(
          `update akit_notifications set received_at = received_at - make_interval(days => $1)`,
          [days],
        )
      await age(6)
      expect(await h.bff.kit.jobs.run('log-retention')).toMatchObject({ ran: true, count: 0 })
      await age(2) // 8 days old: the refusal goes, the verified entries stay
      expect(await h.bff.kit.jobs.run('log-retention')).toMatchObject({ ran: true, count: 1 })
      expect([await count(true), await count(false)]).toEqual([verified, 0])
      await age(83) // 91 days old
      expect(await h.bff.kit.jobs.run('log-retention')).toMatchObject({
        ran: true,
        count: verified,
      })
      expect(await count(true)).toBe(0)
    })
  })
})

describe('sessions only when there is something to keep', () => {
  const harness = withHarness(pgliteStore)
  const sessionRows = async (h: Harness) =>
    Number(
      (await h.store.query<{ n: string }>('select count(*)::bigint as n from akit_sessions'))[0]?.n,
    )

  it('300 cookieless PUT /api/cart with an empty cart make no session row and set no cookie', async () => {
    const h = harness.get()
    const before = await sessionRows(h)
    for (let i = 0; i < 300; i++) {
      const response = await fetch(`${h.bff.url}/api/cart`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
        body: JSON.stringify({ items: [] }),
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('set-cookie')).toBeNull()
      expect(await response.json()).toEqual({ items: [] })
    }
    // Before the fix: 300 rows, each kept 7 days.
    expect(await sessionRows(h)).toBe(before)
  })

  it('a cart with something in it gets its session, and emptying it keeps that session', async () => {
    const h = harness.get()
    const buyer = new Shopper(h.bff.url)
    const before = await sessionRows(h)
    expect((await buyer.saveCart([{ sku: 'cup', quantity: 2 }])).status).toBe(200)
    expect(buyer.cookie).toMatch(/^akit_sid=/)
    expect(await sessionRows(h)).toBe(before + 1)
    expect((await buyer.saveCart([])).body).toEqual({ items: [] })
    expect((await buyer.call('/api/cart')).body).toEqual({ items: [] })
    expect(await sessionRows(h)).toBe(before + 1)
  })

  it('no GET of the browser API makes a session row for a cookieless request', async () => {
    const h = harness.get()
    const before = await sessionRows(h)
    for (const path of [
      '/api/session',
      '/api/cart',
      '/api/orders',
      '/api/addresses/selected',
      `/api/addresses/select?returnTo=${encodeURIComponent('/')}`,
    ]) {
      const response = await fetch(`${h.bff.url}${path}`, {
        headers: { 'x-alipay-kit': '1' },
        redirect: 'manual',
      })
      expect(response.status, path).toBeLessThan(400)
      expect(response.headers.get('set-cookie'), path).toBeNull()
      // The address book sends an anonymous buyer to log in first (where the session starts).
      if (path.startsWith('/api/addresses/select?'))
        expect(response.headers.get('location')).toMatch(/^\/api\/login\?via=quick_login&/)
    }
    expect(await sessionRows(h)).toBe(before)
  })
})
