import { mkdirSync } from 'node:fs'
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
  const run = async <Row>(
    target: Pick<PGlite, 'query'>,
    sql: string,
    params?: readonly unknown[],
  ) => (await target.query<Row>(sql, params ? [...params] : undefined)).rows
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    exec: async (sql) => {
      await db.exec(sql)
    },
    transaction: (work) =>
      db.transaction((tx) => {
        const scoped: Queryable = {
          query: (sql, params) => run(tx, sql, params),
          exec: async (sql) => {
            await tx.exec(sql)
          },
        }
        return work(scoped)
      }),
    listen: async (channel, onPayload) => {
      const unsubscribe = await db.listen(channel, onPayload)
      return async () => unsubscribe()
    },
    close: () => db.close(),
  }
}
