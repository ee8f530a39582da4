import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/**
 * The end-to-end tests run the shop as the BFF serves it in the demo: built, from source (unless
 * the test command has just built it: ALIPAY_KIT_BUILT=1, scripts/check.mjs).
 */
export default async function buildShop() {
  if (process.env.ALIPAY_KIT_BUILT === '1') return
  const root = fileURLToPath(new URL('..', import.meta.url))
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' })
}
