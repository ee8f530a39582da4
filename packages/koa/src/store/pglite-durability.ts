import { fdatasyncSync } from 'node:fs'
import { AlipayConfigError } from '@alipay-kit/core'
import { PGlite } from '@electric-sql/pglite'

/**
 * PGlite's start parameters with fsync on: its defaults pass `-F` (fsync off), so a commit is
 * answered while its WAL is still only in the page cache. `wal_sync_method=fsync` because the
 * WebAssembly build's fdatasync() is a stub that never reaches the disk, while its fsync() goes
 * through the file system's `fsync` stream operation (made real by `makeFsyncReal`). Why:
 * ARCHITECTURE.md, "Storage and scale".
 */
export function durableStartParams(): string[] {
  return [
    ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
    '-c',
    'fsync=on',
    '-c',
    'wal_sync_method=fsync',
  ]
}

interface StreamOps {
  fsync?: (stream: { nfd?: number }) => number
}

/**
 * Gives PGlite's Node file system (Emscripten's NODEFS) the fsync it lacks: every fsync PostgreSQL
 * asks for (the WAL at each commit, data files at a checkpoint) becomes fdatasync(2) on the real
 * file. A commit is then on disk before PGlite answers it, and so before the kit answers
 * `success`; the kit's batching makes one commit (one sync) cover many notifications.
 */
export function makeFsyncReal(db: PGlite): void {
  const ops = (db.Module as unknown as { NODEFS?: { stream_ops?: StreamOps } }).NODEFS?.stream_ops
  if (!ops)
    throw new AlipayConfigError(
      'store',
      'This version of @electric-sql/pglite does not expose the file system alipay-kit makes durable (Module.NODEFS). Use the version alipay-kit depends on, a PostgreSQL server (postgres://…), or open the store with { durable: false } if losing the last commits on a power cut is acceptable.',
    )
  ops.fsync = (stream) => {
    if (stream.nfd !== undefined) fdatasyncSync(stream.nfd)
    return 0
  }
}
