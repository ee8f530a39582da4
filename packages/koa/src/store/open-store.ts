import { openPgliteStore, type PgliteStoreOptions } from './pglite.js'
import { openPostgresStore, type PostgresStoreOptions } from './postgres.js'
import type { Store } from './types.js'

/**
 * Opens the store a location names: `postgres://…` / `postgresql://…` for a PostgreSQL server,
 * `memory://` for a throwaway embedded database, anything else as a PGlite data directory.
 */
export function openStore(
  location: string,
  options: PostgresStoreOptions & PgliteStoreOptions = {},
): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(location)) return openPostgresStore(location, options)
  return openPgliteStore(location, options)
}
