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

/** The React kit's tests: a DOM (jsdom) for components, with a real BFF and simulator behind them. */
function reactProject() {
  return {
    resolve: { conditions: ['@alipay-kit/source', 'module', 'browser', 'development', 'default'] },
    test: {
      name: 'react',
      root: 'packages/react',
      environment: 'jsdom' as const,
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'README.test.ts'],
      setupFiles: ['./src/test-support/setup.ts'],
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
      reactProject(),
    ],
  },
})
