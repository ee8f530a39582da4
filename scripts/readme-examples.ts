import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * Runs every ```ts block of a package's README as written, with the package's own name mapped to
 * its source (`from '@alipay-kit/x'` → `../src/index.js`). Each README.test.ts calls this.
 */
export function testReadmeExamples(packageDir: string, packageName: string, minimum: number): void {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string)
  const workDir = join(packageDir, '.readme-examples')

  describe(`${packageName} README examples`, () => {
    afterAll(() => rmSync(workDir, { recursive: true, force: true }))

    it(`has at least ${minimum} examples`, () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minimum)
    })

    it.each(blocks.map((code, index) => [index + 1, code] as const))(
      'example %i runs',
      async (index, code) => {
        mkdirSync(workDir, { recursive: true })
        const file = join(workDir, `example-${index}.ts`)
        writeFileSync(file, code.replaceAll(`from '${packageName}'`, "from '../src/index.js'"))
        await expect(import(file)).resolves.toBeDefined()
      },
      30_000,
    )
  })
}
