import { AlipayKitError } from '@alipay-kit/core'
import pg from 'pg'
import type { Queryable, Store } from './types.js'
import { guarded } from './unavailable.js'

export interface PostgresStoreOptions {
  /** Pool size per instance. Default 10. */
  readonly max?: number
  /** Called when the LISTEN connection drops and is re-established (for logs). */
  readonly onListenError?: (error: Error) => void
  /**
   * How long a statement may run, in ms, on the server (statement_timeout) and here. Default
   * 15000. The BFF waits a second longer than the server, so that it hears the server's
   * cancellation rather than stopping to listen while the statement runs on.
   */
  readonly queryTimeoutMs?: number
  /** How long a statement may wait for a lock, in ms (lock_timeout). Default: queryTimeoutMs. */
  readonly lockTimeoutMs?: number
}

/**
 * A PostgreSQL server shared by any number of BFF instances. Queries use a pool; LISTEN uses one
 * dedicated connection per instance that reconnects with backoff when the server goes away.
 */
export async function openPostgresStore(
  connectionString: string,
  options: PostgresStoreOptions = {},
): Promise<Store> {
  const queryTimeoutMs = options.queryTimeoutMs ?? 15_000
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    // A statement that runs too long is cancelled by the server itself (57014, an outage: 503),
    // and a lock waited for too long too (55P03): nothing keeps running there for an answer
    // nobody waits for, and the connection comes back to the pool idle (docs/security.md,
    // "Store timeouts"). Both are startup parameters of every pooled connection.
    statement_timeout: queryTimeoutMs,
    lock_timeout: options.lockTimeoutMs ?? queryTimeoutMs,
    // A query may not hang on a server that went away: notify must answer `fail` so Alipay retries.
    query_timeout: queryTimeoutMs + 1_000,
  })
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', (error) => options.onListenError?.(error))

  const listeners = new Map<string, Set<(payload: string) => void>>()
  let listener: pg.Client | undefined
  let connecting: Promise<void> | undefined
  let closed = false
  let retryMs = 250

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 })
    client.on('notification', (message) => {
      for (const callback of listeners.get(message.channel) ?? []) callback(message.payload ?? '')
    })
    client.on('error', (error) => {
      options.onListenError?.(error)
      if (listener === client) listener = undefined
      client.end().catch(() => {})
      scheduleReconnect()
    })
    await client.connect()
    for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`)
    listener = client
    retryMs = 250
  }

  function scheduleReconnect(): void {
    if (closed || connecting) return
    const delay = retryMs
    retryMs = Math.min(retryMs * 2, 5_000)
    const timer = setTimeout(() => {
      connecting = connectListener()
        .catch((error: Error) => {
          options.onListenError?.(error)
          connecting = undefined
          scheduleReconnect()
        })
        .finally(() => {
          connecting = undefined
        })
    }, delay)
    timer.unref()
  }

  const store: Store = {
    kind: 'postgres',
    query: async (sql, params, name) =>
      (
        await guarded(() =>
          pool.query(
            name
              ? { name, text: sql, values: params ? [...params] : [] }
              : { text: sql, values: params ? [...params] : [] },
          ),
        )
      ).rows,
    exec: async (sql) => {
      await guarded(() => pool.query(sql))
    },
    async transaction(work) {
      const client = await guarded(() => pool.connect())
      let broken = false
      try {
        await guarded(() => client.query('BEGIN'))
        // Only the statements are guarded: an error of `work` itself passes through as it is.
        const scoped: Queryable = {
          query: async <Row>(sql: string, params?: readonly unknown[]) =>
            (await guarded(() => client.query(sql, params ? [...params] : undefined)))
              .rows as Row[],
          exec: async (sql) => {
            await guarded(() => client.query(sql))
          },
        }
        const result = await work(scoped)
        await guarded(() => client.query('COMMIT'))
        return result
      } catch (error) {
        try {
          await client.query('ROLLBACK')
        } catch {
          broken = true // the connection itself failed: drop it from the pool
        }
        throw error
      } finally {
        client.release(broken)
      }
    },
    async listen(channel, onPayload) {
      let set = listeners.get(channel)
      if (!set) {
        set = new Set()
        listeners.set(channel, set)
        if (listener) await listener.query(`LISTEN ${quoteIdent(channel)}`)
      }
      set.add(onPayload)
      if (!listener) {
        connecting ??= connectListener().finally(() => {
          connecting = undefined
        })
        await connecting
      }
      return async () => {
        set.delete(onPayload)
      }
    },
    async close() {
      closed = true
      await listener?.end().catch(() => {})
      await pool.end()
    },
  }
  return store
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new AlipayKitError(
      'MISUSE',
      `Bad channel name ${JSON.stringify(name)}: use lowercase letters, digits and _`,
    )
  return `"${name}"`
}
