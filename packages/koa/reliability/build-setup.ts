import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The BFF processes run the built packages: build them (in dependency order) before the suite. */
export default function buildPackages() {
  const root = fileURLToPath(new URL('../../..', import.meta.url))
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0)
    throw new Error('building the packages for the reliability suite failed (see above)')
}
