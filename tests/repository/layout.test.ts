import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

/* The structure ARCHITECTURE.md promises, checked over the tracked files. */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((file) => /\.(ts|tsx|mjs)$/.test(file))
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')
const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith('tests/')

/** The package (or app) a file belongs to: packages/x, apps/x, tests/x, or the root. */
function packageOf(file: string): string {
  const [top, name] = file.split(/[\\/]/)
  return top === 'packages' || top === 'apps' || top === 'tests' ? `${top}/${name}` : '.'
}

/** SQL a string literal may carry. */
const SQL = /['"`][^'"`]*\b(select\s+[\w*(]|insert\s+into|update\s+\w+\s+set|delete\s+from)\b/i

describe('the koa package', () => {
  const koa = tracked.filter((f) => f.startsWith('packages/koa/src/') && !isTest(f))

  it('keeps SQL in repositories (and the store adapters), none in routes or elsewhere', () => {
    const offenders = koa.filter(
      (file) =>
        !file.includes('/repositories/') &&
        !file.includes('/store/') &&
        (SQL.test(read(file)) || /\b(store|tx|q|db|pool|client)\.(query|exec)\b/.test(read(file))),
    )
    expect(offenders).toEqual([])
    // The rule bites: the repositories do hold the SQL.
    expect(koa.filter((f) => f.includes('/repositories/') && SQL.test(read(f))).length).toBe(16)
  })

  it('starts timers only in jobs, the SSE stream, the store adapter (its reconnects) and the hold of refusals', () => {
    const timers = koa.filter((file) => /\bset(Interval|Timeout)\(/.test(read(file)))
    expect(timers.sort()).toEqual([
      'packages/koa/src/jobs/scheduler.ts',
      'packages/koa/src/limits/refusal-hold.ts',
      'packages/koa/src/sse/order-stream.ts',
      'packages/koa/src/store/postgres.ts',
    ])
  })
})

describe('imports', () => {
  it('never reach into another package by path (packages import each other by name)', () => {
    const crossings: string[] = []
    for (const file of tracked) {
      const own = packageOf(file)
      for (const match of read(file).matchAll(
        /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      )) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), match[1] as string))
        const theirs = packageOf(target.split(sep).join('/'))
        // The root's scripts (Chromium's launch flags) are the repository's, not a package's.
        if (theirs !== own && !target.startsWith('scripts')) crossings.push(`${file} → ${target}`)
      }
    }
    expect(crossings).toEqual([])
  })
})

describe('one list of payment services', () => {
  const NAMES = ['instant', 'escrow', 'dual', 'digital', 'donation', 'page', 'wap', 'qr']
  it('no code outside the registry writes three or more service names together', () => {
    const lists = tracked
      .filter((file) => file !== 'packages/client/src/services.ts' && !isTest(file))
      .filter((file) => {
        // An array or union of quoted service names, on one line or across a few.
        const text = read(file).replace(/\s+/g, ' ')
        const quoted = NAMES.map((name) => `'${name}'`).join('|')
        return new RegExp(`(?:${quoted})\\s*[,|]\\s*(?:${quoted})\\s*[,|]\\s*(?:${quoted})`).test(
          text,
        )
      })
    expect(lists).toEqual([])
  })
})

const markdown = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
  {
    cwd: ROOT,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter(Boolean)

describe('sources', () => {
  it('cite the repository’s docs, never documents outside it', () => {
    const citing = [...tracked, ...markdown]
      .filter((file) => file !== 'tests/repository/layout.test.ts')
      .filter((file) => /seed\s*0\d\d|seeds?\/0\d\d|seeds'/i.test(read(file)))
    expect(citing).toEqual([])
  })

  it('ARCHITECTURE.md’s recipes end in tests that exist', () => {
    const recipes = (read('ARCHITECTURE.md').split('## Recipes')[1] ?? '').split('\n## ')[0] ?? ''
    const named = [...recipes.matchAll(/`([\w./-]+\.test\.tsx?)`/g)].map((m) => m[1] as string)
    expect(named.length).toBeGreaterThanOrEqual(8)
    expect(named.filter((file) => !tracked.includes(file))).toEqual([])
    for (const recipe of recipes.split('### ').slice(1))
      expect(recipe, recipe.split('\n')[0]).toMatch(/\.test\.tsx?`/)
  })

  it('point at docs that exist, and at sections those docs have', () => {
    const missing: string[] = []
    for (const file of tracked) {
      for (const match of read(file).matchAll(
        /((?:docs\/[\w-]+|ARCHITECTURE)\.md)(?:,\s*"([^"]+)")?/g,
      )) {
        const doc = match[1] as string
        let text: string
        try {
          text = read(doc)
        } catch {
          missing.push(`${file}: ${doc}`)
          continue
        }
        const section = match[2]
        if (
          section &&
          !new RegExp(`^#+ ${section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').test(text)
        )
          missing.push(`${file}: ${doc} has no section "${section}"`)
      }
    }
    expect(missing).toEqual([])
  })
})
