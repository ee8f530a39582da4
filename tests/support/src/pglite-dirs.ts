import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { migrate, openStore, type Store } from '@alipay-kit/koa'

/*
 * PGlite for tests, fast. A fresh in-memory PGlite runs initdb inside WebAssembly: about 3 s of
 * CPU per store, two thirds of some test files' time on a two-core machine. Opening an existing
 * data directory takes a fraction of that. So the tests build one migrated data directory per
 * PGlite version and schema (the template, kept between runs) and open a copy of it for each
 * store, in tmpfs where there is one, so the durable default's fsync costs nothing. Every test
 * store then runs the production path for a data directory (durable, migrations checked at start);
 * a fresh database being migrated from nothing is still tested (store/migrations.test.ts opens
 * `memory://`, and building the template runs every migration).
 */

const require = createRequire(import.meta.url)
/** tmpfs when the machine has it (Linux): copies and fsync in memory. */
const ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()

/** What a data directory depends on: PGlite's version and the kit's migrations. */
function templateKey(): string {
  const pglite = readFileSync(packageJsonOf(require.resolve('@electric-sql/pglite')), 'utf8')
  // A path, not a URL: under jsdom, URL is jsdom's, which node:fs does not take.
  const here = dirname(fileURLToPath(import.meta.url))
  const migrations = readFileSync(join(here, '../../../packages/koa/src/store/migrations.ts'))
  return createHash('sha256').update(pglite).update(migrations).digest('hex').slice(0, 16)
}

/** The package.json above a package's entry file (PGlite does not export its own). */
function packageJsonOf(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).version) return file
  }
  throw new Error(`no package.json above ${entry}`)
}

let template: Promise<string> | undefined

/** The migrated template, built once (by whichever test process gets there first). */
function templateDir(): Promise<string> {
  template ??= (async () => {
    const dir = join(ROOT, `alipay-kit-pglite-template-${templateKey()}`)
    if (existsSync(join(dir, 'PG_VERSION'))) return dir
    const building = `${dir}.building-${process.pid}-${randomBytes(4).toString('hex')}`
    const store = await openStore(building, { durable: false })
    await migrate(store)
    await store.close()
    try {
      renameSync(building, dir)
    } catch {
      // Another test process built it meanwhile: theirs is the same, use it.
      rmSync(building, { recursive: true, force: true })
    }
    return dir
  })()
  return template
}

const made = new Set<string>()
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

/**
 * A new PGlite data directory holding the kit's schema and nothing else, for a store or a BFF
 * (`PGLITE_DIR`). `remove()` deletes it once its store is closed; whatever is left is deleted when
 * the test process exits.
 */
export async function testPgliteDir(): Promise<{ readonly dir: string; remove(): void }> {
  const source = await templateDir()
  const dir = mkdtempSync(join(ROOT, 'alipay-kit-pglite-'))
  cpSync(source, dir, { recursive: true })
  made.add(dir)
  return {
    dir,
    remove() {
      made.delete(dir)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * A PGlite store for a test: a copy of the migrated template, deleted when the store is closed.
 *
 * @example
 * const store = await openTestStore()
 * const kit = await createAlipayKit({ store, … })
 */
export async function openTestStore(): Promise<Store> {
  const { dir, remove } = await testPgliteDir()
  const store = await openStore(dir)
  return {
    ...store,
    async close() {
      await store.close()
      remove()
    },
  }
}
