// The one test command: installs what is needed, then runs every check in order and stops at the
// first failure. `npx -y pnpm@12.21.0 test` from a fresh clone; CI runs exactly this.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureChromium, install, pnpm, run } from './run.mjs'

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
console.log('\n▶ Chromium for the browser tests')
const chromium = ensureChromium()
results.push({ name: 'chromium (Debian package)', ...chromium })
if (!chromium.ok) {
  console.error(
    '✗ Chromium could not be installed: run `apt-get install chromium` as root, then the test command again.',
  )
  summary()
  process.exit(1)
}

const reportDir = mkdtempSync(join(tmpdir(), 'alipay-kit-'))
const vitestReport = join(reportDir, 'vitest.json')

step('format + lint (biome ci)', pnpm, ['exec', 'biome', 'ci', '--error-on-warnings', '.'])
step('typecheck (tsc)', pnpm, ['exec', 'tsc', '-p', 'tsconfig.json'])
step('tests (vitest)', pnpm, [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
])
step('build packages (tsc)', pnpm, ['run', 'build'])
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
const report = JSON.parse(readFileSync(vitestReport, 'utf8'))
// The closing line CI reads: tests counted by vitest, not steps.
console.log(
  `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`,
)
if (report.numTotalTests === 0) {
  console.error('No test ran: that is a failure, not a pass.')
  process.exit(1)
}
