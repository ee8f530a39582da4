import { StoreUnavailableError } from '@alipay-kit/core'
import pg from 'pg'

/*
 * Which PostgreSQL failures mean "the store cannot serve right now" (answer 503, Alipay retries)
 * rather than a bug (500). The server's own errors carry an SQLSTATE (PostgreSQL's errcodes.txt,
 * "Appendix A. PostgreSQL Error Codes"); these are outages, each for a reason:
 *   08xxx  connection exception: the connection failed, was refused or broke.
 *   57xxx  operator intervention: 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 *          cannot_connect_now (starting up, shutting down, in recovery), 57P04 database_dropped,
 *          57P05 idle_session_timeout, and 57014 query_canceled: the statement_timeout the store
 *          sets (store/postgres.ts) ran out, or an operator cancelled it.
 *   53000 insufficient_resources, 53100 disk_full, 53200 out_of_memory, 53300
 *          too_many_connections: the server lacks something it gets back. Not 53400
 *          configuration_limit_exceeded: a statement too big for a setting is a bug to fix.
 *   55P03  lock_not_available: the lock_timeout the store sets ran out (a row held too long).
 *   55000  object_not_in_prerequisite_state, FATAL only: at connection time it is "database … is
 *          not currently accepting connections" (ALLOW_CONNECTIONS false, during maintenance).
 *          As an ERROR it is a statement's own precondition (a sequence's currval not yet
 *          defined…): a bug.
 *   25006  read_only_sql_transaction: the kit never asks for a read-only transaction, so this is
 *          a standby answering (a failover under way, DNS still naming the old primary).
 * Not outages: 40001 serialization_failure and 40P01 deadlock_detected (conflicts of the kit's own
 * statements, which it handles where they can happen), class 28 (a wrong password or role is
 * configuration: loud, not retried), and every other SQLSTATE (bugs). Of the rest, a socket's
 * system error (ECONNREFUSED, ECONNRESET…) and pg's own connection failures (plain Errors:
 * connect or query timeout, a client that lost its connection, a pool that was ended) are
 * outages; a TypeError or the like is a bug.
 */
const OUTAGE_STATES = new Set(['53000', '53100', '53200', '53300', '55P03', '25006'])

export function isOutage(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? ''
    return (
      code.startsWith('08') ||
      code.startsWith('57') ||
      OUTAGE_STATES.has(code) ||
      (code === '55000' && error.severity === 'FATAL')
    )
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
