// Small helpers for the repository scripts: run a command with inherited output, time it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { basename } from 'node:path'

/**
 * The pnpm that runs the test command (a native binary under pnpm 12), so nested calls use the same
 * version. The test command passes it on as ALIPAY_KIT_PNPM: under `npx -y node@22 …` (the other
 * Node lines) npm_execpath is npx's, not pnpm's.
 */
const given = process.env.ALIPAY_KIT_PNPM ?? process.env.npm_execpath
export const pnpm = given && basename(given).includes('pnpm') ? given : 'pnpm'
process.env.ALIPAY_KIT_PNPM = pnpm

export function run(command, args, options = {}) {
  const started = Date.now()
  const result = spawnSync(command, args, { stdio: 'inherit', ...options })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.error) throw result.error
  return { ok: result.status === 0, status: result.status, seconds }
}

/**
 * `pnpm install --frozen-lockfile`, tried up to three times: pnpm 12 sometimes fails to resolve its
 * own per-platform binaries while recording the packageManager pin, a registry hiccup that a retry clears.
 */
export function install() {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = run(pnpm, ['install', '--frozen-lockfile'])
    if (result.ok) return result
    console.warn(`pnpm install failed (attempt ${attempt} of 3)${attempt < 3 ? '; retrying' : ''}`)
  }
  throw new Error('pnpm install failed three times; see the output above')
}

/**
 * What the tests need from Debian: Chromium, a CJK font so screenshots show Chinese, and strace
 * (the PGlite durability test counts fdatasync(2) calls).
 */
const SYSTEM_PACKAGES = [
  ['/usr/bin/chromium', 'chromium'],
  ['/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', 'fonts-wqy-microhei'],
  ['/usr/bin/strace', 'strace'],
]

/**
 * Debian's Chromium (test tools cannot download their own browsers here), a CJK font and strace:
 * installed with apt-get when missing, as root or through sudo.
 */
export function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg)
  if (missing.length === 0) return { ok: true, status: 0, seconds: '0.0' }
  console.log(`Installing Debian packages for the tests: ${missing.join(', ')} (apt-get)…`)
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n']
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const aptGet = (...args) => {
    const [command, ...rest] = [...sudo, 'apt-get', ...args]
    return run(command, rest, { env })
  }
  const update = aptGet('update', '-qq')
  return update.ok ? aptGet('install', '-y', '-qq', ...missing) : update
}
