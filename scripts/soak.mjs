// `pnpm soak`: builds the packages, then runs the BFF soak (packages/koa/bench/soak.mjs): ten
// minutes of steady notify + order traffic, printing heap, RSS and event-loop delay as it goes.
import { install, pnpm, run } from './run.mjs'

install()
if (!run(pnpm, ['run', 'build']).ok) process.exit(1)
process.exit(run(process.execPath, ['packages/koa/bench/soak.mjs']).ok ? 0 : 1)
