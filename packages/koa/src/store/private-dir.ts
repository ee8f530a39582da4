import { chmodSync, lstatSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { AlipayConfigError } from '@alipay-kit/core'

/*
 * The embedded store's data directory holds what buyers entrusted to the shop: addresses and
 * sessions, in the WAL first, then the tables. Only the user running the BFF may read or write it,
 * as PostgreSQL itself insists of a data directory (owned by the server's user, mode 0700 or 0750,
 * or it will not start). PGlite does not check: its initdb writes every file 0666 whatever the
 * umask, and the directory was created 0755, so any local user could read an order's street from
 * the WAL (issue 25, finding 4). The files PostgreSQL creates afterwards (new WAL segments,
 * relations) are 0600, from its own modes. On Windows none of this applies (no POSIX modes).
 */

const POSIX = process.platform !== 'win32'

/**
 * Makes `dir` the current user's alone before the store opens it: created 0700 when missing, else
 * it must be ours (refused, naming the fix, when another user owns it: that user could rewrite
 * the WAL) and is set to 0700. A 0700 directory keeps its contents from other users whatever their
 * own modes. Returns whether its contents should be tightened too ({@link tightenContents}): when
 * it was new or open to others. A directory already 0700 is not walked at each start (a thousand
 * files; PostgreSQL creates its own 0600).
 */
export function makePrivateDir(dir: string): boolean {
  // recursive: missing parents are created 0700 as well, which is what a data root should be.
  const created = mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined
  if (!POSIX) return false
  const stat = statSync(dir)
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid)
    throw refusal(
      dir,
      `is owned by uid ${stat.uid}, not by the user running the BFF (uid ${uid}): its owner could read the buyers' addresses it holds and rewrite its orders`,
    )
  if ((stat.mode & 0o777) === 0o700) return created
  try {
    chmodSync(dir, 0o700)
  } catch (error) {
    throw refusal(
      dir,
      `is open to other users (mode ${(stat.mode & 0o777).toString(8)}) and could not be made private (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    )
  }
  return true
}

/**
 * Takes the group and other bits off everything under `dir` (directories 0700 at most, files 0600
 * at most): what PGlite's initdb wrote, or an earlier version of the kit left. Symbolic links are
 * left alone (chmod would follow them out of the directory).
 */
export function tightenContents(dir: string, dataDir = dir): void {
  if (!POSIX) return
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    const stat = lstatSync(path)
    if (stat.isSymbolicLink()) continue
    if (stat.mode & 0o077) {
      try {
        chmodSync(path, stat.mode & 0o700)
      } catch (error) {
        throw refusal(
          dataDir,
          `holds ${path}, which is open to other users (mode ${(stat.mode & 0o777).toString(8)}) and could not be made private (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        )
      }
    }
    if (stat.isDirectory()) tightenContents(path, dataDir)
  }
}

/** The refusal, naming the data directory and the commands that make it private. */
function refusal(dataDir: string, why: string): AlipayConfigError {
  return new AlipayConfigError(
    'store',
    `The embedded store's directory ${dataDir} ${why}. Give it to the user that runs the BFF and make it private: \`chown -R <that user> ${dataDir}\`, then \`chmod 700 ${dataDir}\` (the kit takes the other users' bits off its files at the next start), or use another directory (PGLITE_DIR in apps/bff).`,
  )
}
