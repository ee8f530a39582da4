// Bundles the built React kit as an app would (esbuild, code splitting) and checks what reaches
// the browser: the region data (the national divisions) only in a chunk of its own, loaded when an
// address form is shown; and no key material, no Node built-in and no BFF code anywhere.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'

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
  const FORBIDDEN = [
    [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
    [/-----BEGIN [A-Z ]*PUBLIC KEY-----/, 'a public key (key handling belongs to the BFF)'],
    [
      /createAlipayKit|verifyLegacyNotification|md5Sign|merchantApiSecret|akit_orders/,
      'BFF or signing code',
    ],
  ]
  const chunks = readdirSync(outdir).map((name) => {
    const text = readFileSync(join(outdir, name), 'utf8')
    return {
      name,
      gzip: gzipSync(text).length,
      regions: text.includes('北京市') && text.includes('浦东新区'),
      found: FORBIDDEN.filter(([pattern]) => pattern.test(text)).map(([, what]) => what),
    }
  })
  // A Node built-in cannot even be bundled for the browser: esbuild fails above, and so does this check.
  const leaks = chunks.filter((chunk) => chunk.found.length > 0)
  for (const chunk of leaks) console.error(`✗ ${chunk.name} contains ${chunk.found.join(', ')}`)
  if (leaks.length > 0) process.exit(1)
  for (const chunk of chunks)
    console.log(
      `  ${chunk.name.padEnd(24)} ${(chunk.gzip / 1024).toFixed(1).padStart(6)} kB gzip${chunk.regions ? '  ← region data' : ''}`,
    )
  const entry = chunks.find((chunk) => chunk.name === 'app.js')
  const withRegions = chunks.filter((chunk) => chunk.regions)
  if (!entry || entry.regions || withRegions.length !== 1) {
    console.error('✗ the region data must be in exactly one chunk, not the entry')
    process.exit(1)
  }
  console.log(
    `✓ region data only in its lazy chunk (${withRegions[0].name}); no key material, Node built-in or BFF code`,
  )
} finally {
  rmSync(outdir, { recursive: true, force: true })
}
