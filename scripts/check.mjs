// The one test command: installs what is needed, then runs every check in order and stops at the
// first failure. `npx -y pnpm@12.21.0 test` from a fresh clone; CI runs exactly this.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureSystemPackages, install, pnpm, run } from './run.mjs'

const results = []
function step(name, command, args, options) {
  console.log(`\n▶ ${name}`)
  const result = run(command, args, options)
  results.push({ name, ...result })
  if (!result.ok) {
    console.error(
      `\n✗ ${name} failed (exit ${result.status}). Fix it and run the test command again.`,
    )
    summary()
    process.exit(1)
  }
}

function summary() {
  console.log('\nSummary')
  for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name.padEnd(34)} ${r.seconds}s`)
}

console.log('▶ install (pnpm install --frozen-lockfile)')
results.push({ name: 'install', ...install() })
console.log('\n▶ Chromium and strace for the tests')
const chromium = ensureSystemPackages()
results.push({ name: 'chromium, strace (Debian)', ...chromium })
if (!chromium.ok) {
  console.error(
    '✗ Debian packages could not be installed: run `apt-get install chromium fonts-wqy-microhei strace` as root, then the test command again.',
  )
  summary()
  process.exit(1)
}

const reportDir = mkdtempSync(join(tmpdir(), 'alipay-kit-'))
/**
 * The vitest projects whose code runs in Node, on every Node line: the packages, the BFF, the
 * React kit's server rendering (in `react`), the reliability suite's BFF processes. The others
 * test what runs in a browser or reads files (`storybook` and `e2e` in Chromium, `react18` in
 * jsdom, `repository`): Node's version changes nothing there, so they run on this machine's line only.
 */
const NODE_PROJECTS = ['core', 'sandbox', 'client', 'koa', 'bff', 'react', 'reliability']
/** The Node lines the kit supports: this machine's (every project), then the maintained LTS lines through npx. */
const NODE_LINES = [
  { label: `Node ${process.versions.node.split('.')[0]}`, command: process.execPath, args: [] },
  { label: 'Node 22', command: 'npx', args: ['-y', 'node@22'], projects: NODE_PROJECTS },
  { label: 'Node 24', command: 'npx', args: ['-y', 'node@24'], projects: NODE_PROJECTS },
]
const vitestReport = (line) => join(reportDir, `vitest-${line.label.replace(/\W+/g, '-')}.json`)

step('format + lint (biome ci)', pnpm, ['exec', 'biome', 'ci', '--error-on-warnings', '.'])
step('typecheck (tsc)', pnpm, ['exec', 'tsc', '-p', 'tsconfig.json'])
// Built once, before the tests: the reliability suite runs the built BFF, the e2e tests the built
// shop (their global set-ups build only when run outside this command).
step('build packages (tsc)', pnpm, ['run', 'build'])
for (const line of NODE_LINES)
  step(
    `tests (vitest, ${line.label}${line.projects ? ', Node projects' : ''})`,
    line.command,
    [
      ...line.args,
      'node_modules/vitest/vitest.mjs',
      'run',
      ...(line.projects ?? []).flatMap((name) => ['--project', name]),
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${vitestReport(line)}`,
    ],
    { env: { ...process.env, ALIPAY_KIT_BUILT: '1' } },
  )
step('package checks (publint, attw)', pnpm, ['run', 'check:packages'])
step('Storybook static build', pnpm, [
  'exec',
  'storybook',
  'build',
  '--quiet',
  '--output-dir',
  'storybook-static',
])
step('size budget (size-limit)', pnpm, ['exec', 'size-limit'])
step('browser bundles (lazy regions, no secrets)', process.execPath, [
  'scripts/check-react-bundle.mjs',
])

summary()
// Tests counted by vitest, not steps, on each Node line; the closing line (all lines) is what CI reads.
const total = { passed: 0, failed: 0, skipped: 0 }
console.log('')
for (const line of NODE_LINES) {
  const report = JSON.parse(readFileSync(vitestReport(line), 'utf8'))
  const skipped = report.numPendingTests + report.numTodoTests
  console.log(
    `  ${line.label}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`,
  )
  if (report.numTotalTests === 0) {
    console.error(`No test ran on ${line.label}: that is a failure, not a pass.`)
    process.exit(1)
  }
  total.passed += report.numPassedTests
  total.failed += report.numFailedTests
  total.skipped += skipped
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
