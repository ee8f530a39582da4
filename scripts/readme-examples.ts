import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * Runs every ```ts and ```tsx block of a package's README as written, with the package's own name mapped to
 * its source (`from '@alipay-kit/x'` → `../src/index.js`). Each README.test.ts calls this.
 */
export function testReadmeExamples(packageDir: string, packageName: string, minimum: number): void {
  const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```(tsx?)\n([\s\S]*?)```/g)].map((match) => ({
    ext: match[1] as string,
    code: match[2] as string,
  }))
  // One directory per worker process: two vitest projects may run the same README at once.
  const workDir = join(packageDir, `.readme-examples-${process.pid}`)

  describe(`${packageName} README examples`, () => {
    afterAll(() => rmSync(workDir, { recursive: true, force: true }))

    it(`has at least ${minimum} examples`, () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minimum)
    })

    it.each(blocks.map(({ ext, code }, index) => [index + 1, ext, code] as const))(
      'example %i runs',
      async (index, ext, code) => {
        mkdirSync(workDir, { recursive: true })
        const file = join(workDir, `example-${index}.${ext}`)
        writeFileSync(file, code.replaceAll(`from '${packageName}'`, "from '../src/index.js'"))
        await expect(import(file)).resolves.toBeDefined()
      },
      30_000,
    )
  })
}
