// Bundles the built React kit as an app would (esbuild, code splitting) and checks what reaches
// the browser: the region data (the national divisions) only in a chunk of its own, loaded when an
// address form is shown; and no key material and no BFF code anywhere (a Node built-in cannot even
// be bundled for the browser: esbuild fails, and so does this check). The demo shop's build, the
// SPA a browser really downloads, passes the same scan.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

const FORBIDDEN = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/-----BEGIN [A-Z ]*PUBLIC KEY-----/, 'a public key (key handling belongs to the BFF)'],
  [
    /createAlipayKit|verifyLegacyNotification|md5Sign|merchantApiSecret|akit_orders/,
    'BFF or signing code',
  ],
]
const leaksIn = (text) =>
  FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what)

let failed = false
const outdir = mkdtempSync(join(tmpdir(), 'akit-chunks-'))
try {
  await build({
    entryPoints: { app: 'packages/react/dist/index.js' },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    charset: 'utf8',
    outdir,
    external: ['react', 'react-dom', 'react/jsx-runtime', '@tanstack/react-query'],
    conditions: ['module', 'browser', 'default'],
    logLevel: 'error',
  })
  const chunks = readdirSync(outdir).map((name) => {
    const text = readFileSync(join(outdir, name), 'utf8')
    return {
      name,
      gzip: gzipSync(text).length,
      regions: text.includes('北京市') && text.includes('浦东新区'),
      found: leaksIn(text),
    }
  })
  for (const chunk of chunks)
    console.log(
      `  ${chunk.name.padEnd(24)} ${(chunk.gzip / 1024).toFixed(1).padStart(6)} kB gzip${chunk.regions ? '  ← region data' : ''}`,
    )
  for (const chunk of chunks.filter((c) => c.found.length > 0)) {
    console.error(`✗ ${chunk.name} contains ${chunk.found.join(', ')}`)
    failed = true
  }
  const entry = chunks.find((chunk) => chunk.name === 'app.js')
  const withRegions = chunks.filter((chunk) => chunk.regions)
  if (!entry || entry.regions || withRegions.length !== 1) {
    console.error('✗ the region data must be in exactly one chunk, not the entry')
    failed = true
  } else if (!failed) {
    console.log(
      `✓ region data only in its lazy chunk (${withRegions[0].name}); no key material or BFF code`,
    )
  }
} finally {
  rmSync(outdir, { recursive: true, force: true })
}

const shopAssets = 'apps/shop/dist/assets'
if (existsSync(shopAssets)) {
  const leaks = readdirSync(shopAssets)
    .filter((name) => name.endsWith('.js'))
    .flatMap((name) =>
      leaksIn(readFileSync(join(shopAssets, name), 'utf8')).map((what) => `${name}: ${what}`),
    )
  for (const leak of leaks) console.error(`✗ the demo shop's bundle ${leak}`)
  if (leaks.length > 0) failed = true
  else console.log('✓ the demo shop bundle has no key material or BFF code')
} else {
  console.error(`✗ ${shopAssets} is missing: build the shop first (pnpm run build)`)
  failed = true
}
process.exit(failed ? 1 : 0)
