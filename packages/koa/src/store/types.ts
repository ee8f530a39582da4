/** Something SQL can be sent to: the store itself, or an open transaction. */
export interface Queryable {
  /**
   * Runs one statement with $1… parameters and returns its rows. A `name` makes it a prepared
   * statement on each connection (parsed and planned once): for the hot paths.
   */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    name?: string,
  ): Promise<Row[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/**
 * The BFF's storage: one SQL dialect (PostgreSQL), embedded (PGlite) or a server. Everything
 * another BFF instance needs lives here; status changes fan out through LISTEN/NOTIFY. A store
 * that cannot be reached rejects with StoreUnavailableError (from @alipay-kit/core), which the
 * kit answers 503 (and `fail` to Alipay, which retries); any other rejection is a bug.
 */
export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres'
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>
  /** Calls `onPayload` for every NOTIFY on `channel`, from any instance; resolves to an unsubscribe. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}
