// `pnpm run build`: builds every package and app in dependency order. The order follows
// `dependencies` only: a devDependency (a package's README example using the BFF, say) is not
// needed to compile it, and following those would make a cycle that pnpm -r refuses.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pnpm, run } from './run.mjs'

const workspaces = ['packages', 'apps'].flatMap((dir) =>
  readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => existsSync(join(path, 'package.json'))),
)
const manifests = new Map(
  workspaces.map((path) => {
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
    return [manifest.name, { path, manifest }]
  }),
)
const order = []
const visiting = new Set()
function visit(name) {
  if (order.includes(name)) return
  if (visiting.has(name)) throw new Error(`dependency cycle through ${name}`)
  visiting.add(name)
  for (const dep of Object.keys(manifests.get(name).manifest.dependencies ?? {}))
    if (manifests.has(dep)) visit(dep)
  visiting.delete(name)
  order.push(name)
}
for (const name of manifests.keys()) visit(name)

for (const name of order) {
  if (!manifests.get(name).manifest.scripts?.build) continue
  const result = run(pnpm, ['--filter', name, 'run', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  console.log(`${result.ok ? '✓' : '✗'} ${name.padEnd(28)} ${result.seconds}s`)
  if (!result.ok) process.exit(1)
}
