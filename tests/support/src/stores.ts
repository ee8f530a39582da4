import { openStore, type Store } from '@alipay-kit/koa'
import { afterAll } from 'vitest'
import { openTestStore } from './pglite-dirs.js'
import { createTestDatabase } from './postgres.js'

/**
 * The stores a test file runs its suites on: PGlite (a copy of a migrated data directory), and PostgreSQL (a fresh database,
 * dropped after the file) when the test server answers; in CI it must (createTestDatabase).
 * `pg` is that database, for suites that need two instances on one server.
 *
 * @example
 * const { stores, pg } = await storesUnderTest()
 * describe.each(stores)('on %s', (_name, open) => { … })
 */
export async function storesUnderTest(): Promise<{
  readonly stores: Array<[string, () => Promise<Store>]>
  readonly pg: Awaited<ReturnType<typeof createTestDatabase>>
}> {
  const pg = await createTestDatabase()
  afterAll(() => pg?.drop())
  const stores: Array<[string, () => Promise<Store>]> = [['PGlite', openTestStore]]
  if (pg) stores.push(['PostgreSQL', () => openStore(pg.url)])
  return { stores, pg }
}
