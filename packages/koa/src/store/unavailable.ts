import { StoreUnavailableError } from '@alipay-kit/core'
import pg from 'pg'

/*
 * Which PostgreSQL failures mean "the store is not there right now" (answer 503, Alipay retries)
 * rather than a bug. The server's own errors carry an SQLSTATE: connection exceptions (class 08),
 * shutdowns and refused connections (57P01–57P03) and "too many connections" (53300) are outages;
 * any other SQLSTATE is a real error. Of the rest, a socket's system error (ECONNREFUSED,
 * ECONNRESET…) and pg's own connection failures (plain Errors: connect or query timeout, a client
 * that lost its connection, a pool that was ended) are outages; a TypeError or the like is a bug.
 */
const OUTAGE_STATES = new Set(['57P01', '57P02', '57P03', '53300'])

export function isOutage(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? ''
    return code.startsWith('08') || OUTAGE_STATES.has(code)
  }
  if (!(error instanceof Error)) return false
  const code = (error as NodeJS.ErrnoException).code
  return (typeof code === 'string' && code.startsWith('E')) || error.constructor === Error
}

/** Runs a call to PostgreSQL, turning an outage into StoreUnavailableError (message and cause kept). */
export async function guarded<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof StoreUnavailableError || !isOutage(error)) throw error
    throw new StoreUnavailableError((error as Error).message, { cause: error })
  }
}
