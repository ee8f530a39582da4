import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * The BFF processes run the built packages: build them (in dependency order) before the suite,
 * unless the test command has just built them (ALIPAY_KIT_BUILT=1, scripts/check.mjs).
 */
export default function buildPackages() {
  if (process.env.ALIPAY_KIT_BUILT === '1') return
  const root = fileURLToPath(new URL('../../..', import.meta.url))
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (result.status !== 0)
    throw new Error('building the packages for the reliability suite failed (see above)')
}
