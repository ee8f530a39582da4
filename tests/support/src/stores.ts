import { openStore, type Store } from '@alipay-kit/koa'
import { afterAll } from 'vitest'
import { createTestDatabase } from './postgres.js'

/**
 * The stores a test file runs its suites on: PGlite in memory, and PostgreSQL (a fresh database,
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
  const stores: Array<[string, () => Promise<Store>]> = [['PGlite', () => openStore('memory://')]]
  if (pg) stores.push(['PostgreSQL', () => openStore(pg.url)])
  return { stores, pg }
}
