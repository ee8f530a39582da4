import { isAlipayKitError, StoreUnavailableError } from '@alipay-kit/core'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { openPostgresStore } from './postgres.js'
import { guarded, isOutage } from './unavailable.js'

/* Which PostgreSQL failures are outages (503, Alipay retries) and which are bugs (500). */

const serverError = (code: string) => Object.assign(new pg.DatabaseError('x', 1, 'error'), { code })

describe('store outages', () => {
  it.each([
    ['admin shutdown (57P01)', serverError('57P01'), true],
    ['cannot connect now (57P03)', serverError('57P03'), true],
    ['too many connections (53300)', serverError('53300'), true],
    ['a connection exception (08006)', serverError('08006'), true],
    [
      'a refused socket',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      true,
    ],
    ['pg’s own connection failure', new Error('Connection terminated unexpectedly'), true],
    ['a unique violation (23505)', serverError('23505'), false],
    ['a syntax error (42601)', serverError('42601'), false],
    ['a TypeError in our own code', new TypeError('x is not a function'), false],
  ])('%s: outage %s', (_label, error, outage) => {
    expect(isOutage(error)).toBe(outage)
  })

  it('guarded turns an outage into StoreUnavailableError and lets a bug through unchanged', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
    })
    const outage = await guarded(() => Promise.reject(refused)).catch((e: unknown) => e)
    expect(outage).toBeInstanceOf(StoreUnavailableError)
    expect(outage).toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: refused.message,
      cause: refused,
    })
    const bug = serverError('23505')
    expect(await guarded(() => Promise.reject(bug)).catch((e: unknown) => e)).toBe(bug)
  })

  it('a PostgreSQL that does not answer rejects every query with STORE_UNAVAILABLE', async () => {
    const store = await openPostgresStore('postgres://postgres@127.0.0.1:9/none')
    try {
      const error = await store.query('select 1').catch((e: unknown) => e)
      expect(isAlipayKitError(error, 'STORE_UNAVAILABLE')).toBe(true)
      const inTransaction = await store
        .transaction(async (tx) => tx.query('select 1'))
        .catch((e: unknown) => e)
      expect(isAlipayKitError(inTransaction, 'STORE_UNAVAILABLE')).toBe(true)
    } finally {
      await store.close()
    }
  })
})
