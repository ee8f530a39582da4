import { fileURLToPath } from 'node:url'
import { build } from 'vite'

/** The end-to-end tests run the shop as the BFF serves it in the demo: built, from source. */
export default async function buildShop() {
  const root = fileURLToPath(new URL('..', import.meta.url))
  await build({ root, configFile: `${root}vite.config.ts`, logLevel: 'warn' })
}
