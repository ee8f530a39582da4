import { isAlipayKitError, StoreUnavailableError } from '@alipay-kit/core'
import { ADMIN_URL, createTestDatabase, type Harness, startHarness } from '@alipay-kit/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/open-store.js'
import type { Store } from '../store/types.js'
import { isOutage } from '../store/unavailable.js'

/*
 * Issue 25: SQLSTATE 55000 ("database … is not currently accepting connections") and other states
 * in which PostgreSQL cannot serve now were answered 500, as bugs. They are outages: 503
 * STORE_UNAVAILABLE, `fail` to Alipay, which retries (store/unavailable.ts says which and why).
 */

const serverError = (code: string, severity = 'ERROR') =>
  Object.assign(new pg.DatabaseError('x', 1, 'error'), { code, severity })

describe('which SQLSTATEs are outages', () => {
  it.each([
    [
      '55000 at connection time (FATAL: not accepting connections)',
      serverError('55000', 'FATAL'),
      true,
    ],
    ['57014 query_canceled (statement_timeout)', serverError('57014'), true],
    ['55P03 lock_not_available (lock_timeout)', serverError('55P03'), true],
    ['57P04 database_dropped', serverError('57P04', 'FATAL'), true],
    ['57P05 idle_session_timeout', serverError('57P05', 'FATAL'), true],
    ['53100 disk_full', serverError('53100'), true],
    ['53200 out_of_memory', serverError('53200'), true],
    ['25006 read_only_sql_transaction (a standby after failover)', serverError('25006'), true],
    ['55000 in a statement (ERROR: e.g. currval not yet defined)', serverError('55000'), false],
    ['53400 configuration_limit_exceeded', serverError('53400'), false],
    ['40001 serialization_failure', serverError('40001'), false],
    ['40P01 deadlock_detected', serverError('40P01'), false],
    ['28P01 invalid_password (configuration)', serverError('28P01', 'FATAL'), false],
    ['22P05 untranslatable_character (bad input reached SQL)', serverError('22P05'), false],
  ])('%s: outage %s', (_label, error, outage) => {
    expect(isOutage(error)).toBe(outage)
  })
})

const database = await createTestDatabase()

describe.skipIf(!database)('a database that stops accepting connections', () => {
  let store: Store
  let h: Harness
  const name = new URL(database?.url ?? 'postgres://x/none').pathname.slice(1)
  const admin = (sql: string) =>
    (async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL })
      await client.connect()
      try {
        return (await client.query(sql)).rows
      } finally {
        await client.end()
      }
    })()
  beforeAll(async () => {
    store = await openStore(database?.url as string)
    h = await startHarness({ store })
  })
  afterAll(async () => {
    await h?.close()
    await store?.close()
    await database?.drop()
  })

  it('answers 503 STORE_UNAVAILABLE while PostgreSQL refuses connections with 55000', async () => {
    expect((await h.merchant('/orders')).status).toBe(200)
    // Maintenance: ALTER DATABASE … ALLOW_CONNECTIONS false, and the sessions ended.
    await admin(`alter database ${name} allow_connections false`)
    await admin(
      `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}' and pid <> pg_backend_pid()`,
    )
    // The pool drops the ended sessions; a new one is refused with 55000 (FATAL).
    let seen: unknown
    await expect
      .poll(async () => {
        seen = await store.query('select 1').catch((error: unknown) => error)
        const cause = (seen as { cause?: { code?: string } }).cause ?? seen
        return (cause as { code?: string }).code
      })
      .toBe('55000')
    expect(seen).toBeInstanceOf(StoreUnavailableError)
    expect(isAlipayKitError(seen, 'STORE_UNAVAILABLE')).toBe(true)
    const answer = await h.merchant('/orders')
    expect([answer.status, answer.body.error?.code]).toEqual([503, 'STORE_UNAVAILABLE'])
    // Maintenance over: served again.
    await admin(`alter database ${name} allow_connections true`)
    await expect.poll(async () => (await h.merchant('/orders')).status).toBe(200)
  })
})
