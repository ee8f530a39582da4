// `pnpm bench`: builds the packages and runs every package's benchmarks, printing figures and ratios.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { install, pnpm, run } from './run.mjs'

install()
if (!run(pnpm, ['run', 'build']).ok) process.exit(1)
let failed = false
for (const pkg of readdirSync('packages')) {
  let files = []
  try {
    files = readdirSync(join('packages', pkg, 'bench')).filter((f) => f.endsWith('.bench.mjs'))
  } catch {
    continue
  }
  for (const file of files) {
    console.log(`\n▶ packages/${pkg}/bench/${file}`)
    if (!run(process.execPath, [join('packages', pkg, 'bench', file)]).ok) failed = true
  }
}
process.exit(failed ? 1 : 0)
