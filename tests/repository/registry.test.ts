import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/*
 * "Adding a service is one registry entry plus its core builder, and forgetting a part is a type
 * error": this compiles the real sources with one more entry in PAY_SERVICES (in memory only)
 * and checks that each place that must handle every service refuses to compile, naming the new
 * service. ARCHITECTURE.md, "Add a payment service", follows the same list.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const REGISTRY = join(ROOT, 'packages/client/src/services.ts')

/** Where a service must be handled, by gateway. */
const MUST_HANDLE = {
  open: [
    'packages/koa/src/gateway/open.ts', // the BFF's starter
    'packages/sandbox/src/open/gateway.ts', // the simulator's handler
    'apps/shop/src/texts.ts', // the demo's labels, both languages
  ],
  legacy: [
    'packages/koa/src/gateway/legacy.ts',
    'packages/sandbox/src/legacy/payment.ts',
    'apps/shop/src/texts.ts',
  ],
} as const

function probeEntry(gateway: 'open' | 'legacy'): string {
  const alipay = gateway === 'open' ? 'alipay.trade.probe' : 'create_probe_trade'
  const productCode = gateway === 'open' ? "'PROBE_PAY'" : 'null'
  return `  probe: { gateway: '${gateway}', alipay: '${alipay}', start: 'cashier', productCode: ${productCode}, mode: 'instant', shipping: 'by-items', offeredByDefault: false },\n`
}

/** Type errors of `files`, with the registry's source replaced by `registry`. */
function typeErrors(files: readonly string[], registry: string): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )
  if (!config) throw new Error('tsconfig.json could not be read')
  const host = ts.createCompilerHost(config.options)
  const readFile = host.readFile.bind(host)
  host.readFile = (name) => (resolve(name) === REGISTRY ? registry : readFile(name))
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, language, onError, create) =>
    resolve(name) === REGISTRY
      ? ts.createSourceFile(name, registry, language)
      : getSourceFile(name, language, onError, create)
  const program = ts.createProgram(
    files.map((file) => join(ROOT, file)),
    { ...config.options, noEmit: true },
    host,
  )
  const errors = new Map<string, string[]>()
  for (const file of files) {
    const source = program.getSourceFile(join(ROOT, file))
    if (!source) throw new Error(`${file} is not part of the program`)
    errors.set(
      file,
      program
        .getSemanticDiagnostics(source)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
    )
  }
  return errors
}

const real = ts.sys.readFile(REGISTRY) ?? ''
const withProbe = (gateway: 'open' | 'legacy') => {
  const at = real.indexOf('} as const satisfies')
  expect(at, 'the registry ends with `} as const satisfies`').toBeGreaterThan(0)
  return real.slice(0, at) + probeEntry(gateway) + real.slice(at)
}

describe('the services registry', () => {
  it('compiles as it is: every place handles every service today', () => {
    const files = [...new Set([...MUST_HANDLE.open, ...MUST_HANDLE.legacy])]
    for (const [file, errors] of typeErrors(files, real)) expect(errors, file).toEqual([])
  }, 120_000)

  it.each(['open', 'legacy'] as const)(
    'a new %s service without its starter, simulator handler and labels fails the typecheck, naming it',
    (gateway) => {
      const errors = typeErrors(MUST_HANDLE[gateway], withProbe(gateway))
      for (const file of MUST_HANDLE[gateway]) {
        const messages = errors.get(file) ?? []
        expect(messages.length, `${file} compiled without handling the probe`).toBeGreaterThan(0)
        expect(messages.join('\n'), file).toMatch(/probe/)
      }
    },
    120_000,
  )
})
