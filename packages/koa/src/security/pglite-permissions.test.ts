import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isAlipayKitError } from '@alipay-kit/core'
import { testPgliteDir } from '@alipay-kit/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { openStore } from '../store/open-store.js'

/*
 * Issue 25, finding 4: the embedded store's directory holds buyers' addresses and sessions (in its
 * WAL and tables). Under umask 022 it was created 0755 with PGlite's files 0666: another local
 * user read an order's street from the WAL, and could have written it. It must be the BFF user's
 * alone: created 0700, an existing one tightened, one another user controls refused.
 */

const ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir()
const root = mkdtempSync(join(ROOT, 'akit-perm-'))
chmodSync(root, 0o755) // as a data directory's parent usually is: anyone may pass through
afterAll(() => rmSync(root, { recursive: true, force: true }))

const asRoot = process.getuid?.() === 0
const posix = process.platform !== 'win32'
const nobody = asRoot ? Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' })) : -1

/** Everything under `dir` (and `dir` itself) that grants its group or other users anything. */
function openToOthers(dir: string): string[] {
  const found: string[] = []
  const visit = (path: string) => {
    const stat = statSync(path)
    if (stat.mode & 0o077) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`)
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry))
  }
  visit(dir)
  return found
}

/** Directories 0755, files 0666: a data directory as the kit used to leave it under umask 022. */
function loosen(path: string): void {
  const directory = statSync(path).isDirectory()
  chmodSync(path, directory ? 0o755 : 0o666)
  if (directory) for (const entry of readdirSync(path)) loosen(join(path, entry))
}

/** Whether the user `nobody` can read the file (a real other user, not a mode computed here). */
function nobodyReads(file: string): boolean {
  return spawnSync('runuser', ['-u', 'nobody', '--', 'cat', file], { stdio: 'ignore' }).status === 0
}

/** The WAL segments: where a new order's address lands first. */
const walFiles = (dir: string) =>
  readdirSync(join(dir, 'pg_wal'))
    .filter((name) => /^[0-9A-F]{24}$/.test(name))
    .map((name) => join(dir, 'pg_wal', name))

describe.runIf(posix)('the embedded store is private to the user running the BFF', () => {
  it('a new data directory is created 0700, and nothing in it is open to other users', async () => {
    const dir = join(root, 'fresh', 'bff')
    const store = await openStore(dir) // runs initdb: PGlite writes its files 0666
    try {
      expect((statSync(dir).mode & 0o777).toString(8)).toBe('700')
      expect(openToOthers(dir)).toEqual([])
      if (asRoot) for (const wal of walFiles(dir)) expect(nobodyReads(wal), wal).toBe(false)
    } finally {
      await store.close()
    }
  }, 90_000)

  it('an existing directory open to everyone is tightened, and the WAL it writes next stays private', async () => {
    const { dir, remove } = await testPgliteDir()
    // What earlier versions left (the files as PGlite's initdb writes them), and worse: the
    // directory 0777, so others may even write.
    loosen(dir)
    chmodSync(dir, 0o777)
    if (asRoot) expect(nobodyReads(walFiles(dir)[0] as string)).toBe(true) // the finding, as found
    const store = await openStore(dir)
    try {
      expect((statSync(dir).mode & 0o777).toString(8)).toBe('700')
      expect(openToOthers(dir)).toEqual([])
      // New WAL segments and relation files, written after the store opened.
      await store.exec(
        "create table akit_perm_probe (street text); insert into akit_perm_probe select 'No. 1 Tea Street' from generate_series(1, 20000)",
      )
      await store.query('select pg_switch_wal()')
      await store.exec('checkpoint')
      expect(openToOthers(dir)).toEqual([])
      if (asRoot) for (const wal of walFiles(dir)) expect(nobodyReads(wal), wal).toBe(false)
    } finally {
      await store.close()
      remove()
    }
  }, 60_000)

  it.runIf(asRoot)(
    'refuses a directory another user owns, naming it and the fix',
    async () => {
      const { dir, remove } = await testPgliteDir()
      chownSync(dir, nobody, nobody)
      chmodSync(dir, 0o777)
      try {
        const error = await openStore(dir).then(
          async (store) => {
            await store.close()
            return undefined
          },
          (caught: unknown) => caught,
        )
        expect(isAlipayKitError(error, 'INVALID_CONFIG'), String(error)).toBe(true)
        const message = (error as Error).message
        expect(message).toContain(dir)
        expect(message).toContain(`uid ${nobody}`)
        expect(message).toContain(`chown -R`)
        expect(message).toContain(`chmod 700 ${dir}`)
        // Refused before anything was read or written: the directory is as it was.
        expect(statSync(dir).uid).toBe(nobody)
      } finally {
        remove()
      }
    },
    30_000,
  )
})
