import { StoreUnavailableError } from '@alipay-kit/core'
import { openTestStore, startHarness } from '@alipay-kit/testing'
import { describe, expect, it } from 'vitest'
import type { Store } from '../store/types.js'

/*
 * Issue 25, finding 6: GET /healthz answers anyone, and echoed the database's own error: a
 * PostgreSQL server's address, port, user or database name, to whoever asked. The public answer is
 * now only that the store is unreachable; the error itself goes to the log, for the operator.
 */

describe('GET /healthz', () => {
  it('a store that is down: 503 "unreachable" to the public, the real error in the log', async () => {
    const real = await openTestStore()
    let down = false
    const why = 'connect ECONNREFUSED 10.20.30.40:5432 (user "shop_owner", database "shop_prod")'
    const gone = () => Promise.reject(new StoreUnavailableError(why))
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
      const up = await fetch(`${h.bff.url}/healthz`)
      expect([up.status, await up.json()]).toEqual([200, { ok: true, store: 'pglite: ok' }])
      down = true
      const health = await fetch(`${h.bff.url}/healthz`)
      const text = await health.text()
      expect(health.status).toBe(503)
      expect(JSON.parse(text)).toEqual({ ok: false, store: 'pglite: unreachable' })
      expect(text).not.toMatch(/10\.20\.30\.40|shop_owner|shop_prod|ECONNREFUSED/)
      const logged = h.logs.lines.filter((line) => line.includes('10.20.30.40'))
      expect(logged).toHaveLength(1)
      expect(JSON.parse(logged[0] as string)).toMatchObject({
        level: 50,
        msg: 'health: store unreachable',
      })
    } finally {
      down = false
      await h.close()
      await real.close()
    }
  })
})
