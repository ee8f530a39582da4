import { defineConfig } from 'vitest/config'

// Workspace packages resolve each other from source through this export condition
// (mirrored by tsconfig's customConditions), so no test needs a pre-build.
const conditions = ['@alipay-kit/source', 'module', 'node', 'default']

/** A package (or app) whose tests run in Node. */
function nodeProject(name: string, dir = 'packages') {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      root: `${dir}/${name}`,
      environment: 'node' as const,
      include: ['src/**/*.test.ts', 'README.test.ts'],
    },
  }
}

export default defineConfig({
  test: {
    projects: [
      nodeProject('core'),
      nodeProject('sandbox'),
      nodeProject('client'),
      nodeProject('koa'),
      nodeProject('bff', 'apps'),
    ],
  },
})
