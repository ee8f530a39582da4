// `pnpm sandbox [--port 4010] [--time-scale 1000]`: installs, builds, and starts the local Alipay.
import { install, pnpm, run } from './run.mjs'

install()
for (const pkg of ['@alipay-kit/core', '@alipay-kit/sandbox']) {
  if (!run(pnpm, ['--filter', pkg, 'run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] }).ok)
    process.exit(1)
}
const result = run(process.execPath, ['packages/sandbox/dist/cli.js', ...process.argv.slice(2)])
process.exit(result.status ?? 1)
