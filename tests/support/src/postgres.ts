import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** Where the test PostgreSQL is: ALIPAY_KIT_TEST_PG, or the machine's local server. */
export const ADMIN_URL = process.env.ALIPAY_KIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * A fresh database on the test PostgreSQL server, dropped by `drop()`. Undefined when no server
 * answers, except in CI (CI=true), where PostgreSQL must be there: the suite fails loudly instead
 * of silently skipping what it exists to prove.
 */
export async function createTestDatabase(): Promise<
  { url: string; drop(): Promise<void> } | undefined
> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 })
  try {
    await admin.connect()
  } catch (error) {
    if (process.env.CI)
      throw new Error(
        `PostgreSQL is required in CI but ${ADMIN_URL} refused: ${(error as Error).message}. Start it (pg_ctlcluster … main start) or set ALIPAY_KIT_TEST_PG.`,
      )
    console.warn(
      `[alipay-kit tests] PostgreSQL not reachable at ${ADMIN_URL}; its tests are skipped`,
    )
    return undefined
  }
  const name = `akit_test_${randomBytes(6).toString('hex')}`
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
    },
  }
}
