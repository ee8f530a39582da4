import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { StoreUnavailableError } from '@alipay-kit/core'
import { PGlite } from '@electric-sql/pglite'
import { durableStartParams, makeFsyncReal } from './pglite-durability.js'
import { makePrivateDir, tightenContents } from './private-dir.js'
import type { Queryable, Store } from './types.js'

export interface PgliteStoreOptions {
  /**
   * Make each commit reach the disk before it is answered (fsync of the WAL, as PostgreSQL does),
   * so a notification answered `success` survives a power cut. Default true for a data directory;
   * `memory://` keeps nothing anyway. false trades that for speed (tests, throwaway demos).
   */
  readonly durable?: boolean
}

/**
 * The embedded store: PostgreSQL compiled to WebAssembly, in a data directory on disk (or in
 * memory with `memory://`). One process at a time may open a directory; for several BFF
 * instances use a PostgreSQL server. Commits are durable (fsync) unless `durable: false`. The
 * directory is the running user's alone (0700, nothing in it open to others; one another user owns
 * is refused): it holds buyers' addresses (store/private-dir.ts).
 */
export async function openPgliteStore(
  dataDir: string,
  options: PgliteStoreOptions = {},
): Promise<Store> {
  const inMemory = dataDir.startsWith('memory://')
  const durable = !inMemory && options.durable !== false
  // PGlite reads `file://` as a plain path: check the directory it will use.
  const path = dataDir.startsWith('file://') ? dataDir.slice('file://'.length) : dataDir
  // initdb (a new or empty directory) writes its files 0666; an older kit left them so.
  const tighten = !inMemory && (makePrivateDir(path) || !existsSync(join(path, 'PG_VERSION')))
  const db = await PGlite.create(dataDir, durable ? { startParams: durableStartParams() } : {})
  if (tighten)
    try {
      tightenContents(path)
    } catch (error) {
      await db.close()
      throw error
    }
  if (durable) {
    makeFsyncReal(db)
    // What was written before fsync became real (start-up, recovery) goes to disk now.
    await db.exec('CHECKPOINT')
  }
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
