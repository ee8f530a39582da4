import { mkdirSync } from 'node:fs'
import { StoreUnavailableError } from '@alipay-kit/core'
import { PGlite } from '@electric-sql/pglite'
import type { Queryable, Store } from './types.js'

/**
 * The embedded store: PostgreSQL compiled to WebAssembly, in a data directory on disk (or in
 * memory with `memory://`). One process at a time may open a directory; for several BFF
 * instances use a PostgreSQL server.
 */
export async function openPgliteStore(dataDir: string): Promise<Store> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  const db = await PGlite.create(dataDir)
  // A closed database is the embedded store's only outage; any other error is a real one.
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    if (db.closed) throw new StoreUnavailableError('The embedded store (PGlite) is closed')
    try {
      return await call()
    } catch (error) {
      if (db.closed) throw new StoreUnavailableError((error as Error).message, { cause: error })
      throw error
    }
  }
  const run = <Row>(target: Pick<PGlite, 'query'>, sql: string, params?: readonly unknown[]) =>
    guard(async () => (await target.query<Row>(sql, params ? [...params] : undefined)).rows)
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => {
      await guard(() => db.exec(sql))
    },
    transaction: (work) =>
      guard(() =>
        db.transaction((tx) => {
          const scoped: Queryable = {
            query: (sql, params) => run(tx, sql, params),
            exec: async (sql) => {
              await tx.exec(sql)
            },
          }
          return work(scoped)
        }),
      ),
    listen: async (channel, onPayload) => {
      const unsubscribe = await db.listen(channel, onPayload)
      return async () => unsubscribe()
    },
    close: () => db.close(),
  }
}
