// `pnpm demo`: installs what is needed and starts the demo. Until the simulator, BFF and shop exist
// (issues 3–6), it builds the core and walks through a payment's protocol steps in the terminal.
import { install, pnpm, run } from './run.mjs'

install()
const build = run(pnpm, ['--filter', '@alipay-kit/core', 'run', 'build'])
if (!build.ok) process.exit(1)
const walk = run(process.execPath, ['scripts/demo-core.mjs'])
process.exit(walk.ok ? 0 : 1)
