import { isAlipayKitError } from '@alipay-kit/core'
import { createTestDatabase, type Harness, Shopper, startHarness } from '@alipay-kit/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/types.js'

/*
 * Issue 25: a query that timed out in the BFF kept running on the server (pg's query_timeout only
 * stops waiting). Each pooled connection now carries statement_timeout and lock_timeout
 * (store/postgres.ts, `queryTimeoutMs`, `lockTimeoutMs`): PostgreSQL gives up too, and the
 * connection goes back to the pool idle. Against the real PostgreSQL, with short timeouts.
 */

const database = await createTestDatabase()
afterAll(() => database?.drop())

/** This database's statements still running (or waiting) on the server, other than the asker's. */
async function running(admin: pg.Client, like: string): Promise<number> {
  const { rows } = await admin.query(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
       and query like $1`,
    [like],
  )
  return rows[0].n as number
}

describe.skipIf(!database)('PostgreSQL gives up when the BFF does', () => {
  let store: Store
  let admin: pg.Client
  beforeAll(async () => {
    store = await openStore(database?.url as string, { queryTimeoutMs: 300, lockTimeoutMs: 200 })
    admin = new pg.Client({ connectionString: database?.url })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
    await store?.close()
  })

  it('a statement longer than the timeout is cancelled on the server: 503, nothing left running', async () => {
    const error = await store
      .query(`select pg_sleep(20), 'akit-sleep-marker'`)
      .catch((e: unknown) => e)
    expect(isAlipayKitError(error, 'STORE_UNAVAILABLE'), String(error)).toBe(true)
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('57014')
    expect(await running(admin, '%akit-sleep-marker%')).toBe(0)
    // The connection is usable at once: the server is not still busy with the sleep.
    expect(await store.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }])
  }, 30_000)

  it('in a transaction too', async () => {
    const error = await store
      .transaction((tx) => tx.query(`select pg_sleep(20), 'akit-tx-marker'`))
      .catch((e: unknown) => e)
    expect(isAlipayKitError(error, 'STORE_UNAVAILABLE'), String(error)).toBe(true)
    expect((error as { cause?: { code?: string } }).cause?.code).toBe('57014')
    expect(await running(admin, '%akit-tx-marker%')).toBe(0)
  }, 30_000)

  it('a wait for a lock ends at lock_timeout (55P03), the waiter gone from the server', async () => {
    await store.exec('create table if not exists akit_lock_probe (id int primary key, n int)')
    await store.query('insert into akit_lock_probe values (1, 0) on conflict do nothing')
    await admin.query('begin')
    await admin.query('select * from akit_lock_probe where id = 1 for update')
    try {
      const error = await store
        .query(`update akit_lock_probe set n = n + 1 where id = 1 -- akit-lock-marker`)
        .catch((e: unknown) => e)
      expect(isAlipayKitError(error, 'STORE_UNAVAILABLE'), String(error)).toBe(true)
      expect((error as { cause?: { code?: string } }).cause?.code).toBe('55P03')
      expect(await running(admin, '%akit-lock-marker%')).toBe(0)
    } finally {
      await admin.query('rollback')
    }
  }, 30_000)
})

describe.skipIf(!database)('over HTTP: a refund waiting on a locked order', () => {
  let h: Harness
  let store: Store
  let admin: pg.Client
  beforeAll(async () => {
    store = await openStore(database?.url as string, { queryTimeoutMs: 2_000, lockTimeoutMs: 300 })
    h = await startHarness({ store })
    admin = new pg.Client({ connectionString: database?.url })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
    await h?.close()
    await store?.close()
  })

  it('answers 503 STORE_UNAVAILABLE when the lock is not had in time, and leaves no waiter', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'tea-longjing', quantity: 1 }])
    await buyer.payAtSimulator(h.sandbox, created)
    const id = created.order.id
    await admin.query('begin')
    await admin.query('select id from akit_orders where id = $1 for update', [id])
    try {
      const answer = await h.merchant(`/orders/${id}/refund`, { amount: '1.00' })
      expect([answer.status, answer.body.error?.code]).toEqual([503, 'STORE_UNAVAILABLE'])
      expect(await running(admin, '%for update%')).toBe(0)
      // Nothing reached Alipay.
      expect((await h.sandbox.admin.trade(id)).trade.refunds).toEqual([])
    } finally {
      await admin.query('rollback')
    }
    expect((await h.merchant(`/orders/${id}/refund`, { amount: '1.00' })).status).toBe(200)
  })
})
