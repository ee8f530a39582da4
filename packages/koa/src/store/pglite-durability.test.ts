import { type ChildProcess, spawn } from 'node:child_process'
import { accessSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { openPgliteStore } from './pglite.js'
import type { Store } from './types.js'

// The syscalls themselves, not a spy on Node's fs: strace attached to this test process shows
// whether a commit reached fdatasync(2) before it was answered.
const STRACE = '/usr/bin/strace'
const hasStrace = existsSync(STRACE)
if (!hasStrace && process.env.CI === 'true')
  throw new Error('strace is missing: the test command installs it (apt-get install strace)')
if (!hasStrace) console.warn('strace not installed: skipping the PGlite durability syscall test')

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'akit-durable-'))
  dirs.push(dir)
  return dir
}

/** A marker in the trace: an access() of a path that cannot exist. */
function mark(name: string): string {
  const path = `/nonexistent/akit-mark-${name}-${process.pid}`
  try {
    accessSync(path)
  } catch {}
  return path
}

/** Runs `work` with strace attached to this process; answers the syscalls between its markers. */
async function syscallsDuring(work: () => Promise<void>): Promise<string[]> {
  const out = join(dataDir(), 'trace.txt')
  const strace: ChildProcess = spawn(STRACE, [
    '-f',
    '-p',
    String(process.pid),
    '-e',
    'trace=fdatasync,fsync,access,faccessat,faccessat2',
    '-o',
    out,
  ])
  // Attached once a probe shows up in the trace.
  for (let i = 0; ; i++) {
    const probe = mark(`probe${i}`)
    await sleep(50)
    if (existsSync(out) && readFileSync(out, 'utf8').includes(probe)) break
    if (i > 100) throw new Error('strace did not attach within 5 s')
  }
  const begin = mark('begin')
  await work()
  const end = mark('end')
  await sleep(50)
  const exited = new Promise((resolve) => strace.once('exit', resolve))
  strace.kill('SIGINT')
  await exited
  const lines = readFileSync(out, 'utf8').split('\n')
  const from = lines.findIndex((line) => line.includes(begin))
  const to = lines.findIndex((line) => line.includes(end))
  expect(from).toBeGreaterThan(-1)
  expect(to).toBeGreaterThan(from)
  return lines.slice(from + 1, to)
}

const syncs = (lines: string[]) => lines.filter((line) => /\bf(data)?sync\(/.test(line)).length

async function commitOne(store: Store, id: number): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.query('insert into durability_probe (id) values ($1)', [id])
  })
}

describe.skipIf(!hasStrace)('PGlite commits on disk (strace)', () => {
  it('a data directory syncs each commit before the commit is answered; several statements in one transaction sync once', async () => {
    const store = await openPgliteStore(dataDir())
    try {
      expect(await store.query('show fsync')).toEqual([{ fsync: 'on' }])
      await store.exec('create table durability_probe (id int primary key)')
      const one = await syscallsDuring(() => commitOne(store, 1))
      expect(syncs(one)).toBeGreaterThanOrEqual(1)
      // Ten commits, ten syncs at least: none answered before its own.
      const ten = await syscallsDuring(async () => {
        for (let id = 10; id < 20; id++) await commitOne(store, id)
      })
      expect(syncs(ten)).toBeGreaterThanOrEqual(10)
      // One transaction of ten inserts (a batch of notifications, as the applier writes it).
      const batch = await syscallsDuring(() =>
        store.transaction(async (tx) => {
          for (let id = 100; id < 110; id++)
            await tx.query('insert into durability_probe (id) values ($1)', [id])
        }),
      )
      expect(syncs(batch)).toBeGreaterThanOrEqual(1)
      expect(syncs(batch)).toBeLessThan(syncs(ten))
    } finally {
      await store.close()
    }
  })

  it('without it (durable: false, PGlite’s own default) a commit never reaches the disk', async () => {
    const store = await openPgliteStore(dataDir(), { durable: false })
    try {
      expect(await store.query('show fsync')).toEqual([{ fsync: 'off' }])
      await store.exec('create table durability_probe (id int primary key)')
      const lines = await syscallsDuring(async () => {
        for (let id = 1; id <= 10; id++) await commitOne(store, id)
      })
      expect(syncs(lines)).toBe(0)
    } finally {
      await store.close()
    }
  })

  it('a durable directory reopens with every committed row', async () => {
    const dir = dataDir()
    const first = await openPgliteStore(dir)
    await first.exec('create table durability_probe (id int primary key)')
    for (let id = 1; id <= 5; id++) await commitOne(first, id)
    await first.close()
    const again = await openPgliteStore(dir)
    try {
      expect(await again.query('select count(*)::int as n from durability_probe')).toEqual([
        { n: 5 },
      ])
    } finally {
      await again.close()
    }
  })
})
