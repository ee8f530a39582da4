import { fileURLToPath } from 'node:url'
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { CHROMIUM_LAUNCH } from './scripts/chromium.mjs'

// Workspace packages resolve each other from source through this export condition
// (mirrored by tsconfig's customConditions), so no test needs a pre-build.
const conditions = ['@alipay-kit/source', 'module', 'node', 'default']

/*
 * Hooks and tests that start a simulator, a BFF and an embedded PostgreSQL take seconds, more on
 * two busy cores running the suite on three Node lines: room enough that load never fails them.
 */
const SERVER_TIMEOUTS = { hookTimeout: 30_000, testTimeout: 20_000 }

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
      ...SERVER_TIMEOUTS,
    },
  }
}

const browserConditions = ['@alipay-kit/source', 'module', 'browser', 'development', 'default']

/** Resolved from the project's own node_modules, whoever imports them: one copy of React per project. */
const reactPackages = [
  'react',
  'react-dom',
  '@tanstack/react-query',
  '@testing-library/react',
  '@testing-library/dom',
  '@testing-library/user-event',
]

/**
 * The React kit's tests: a DOM (jsdom) for components, with a real BFF and simulator behind them.
 * `react18` runs the very same test files on React 18, installed in tests/react18.
 */
function reactProject(name: 'react' | 'react18') {
  return {
    resolve: { conditions: browserConditions, dedupe: reactPackages },
    // The server-rendering tests run in Node: they too take workspace packages from source.
    ssr: { resolve: { conditions } },
    test: {
      name,
      root: name === 'react' ? 'packages/react' : 'tests/react18',
      dir: fileURLToPath(new URL('./packages/react', import.meta.url)),
      environment: 'jsdom' as const,
      include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'README.test.ts'],
      setupFiles: [
        fileURLToPath(new URL('./packages/react/src/test-support/setup.ts', import.meta.url)),
      ],
      ...SERVER_TIMEOUTS,
    },
  }
}

/** Every story runs in real Chromium: play functions as tests, and axe with `a11y.test: 'error'`. */
function storybookProject() {
  return {
    plugins: [
      storybookTest({ configDir: fileURLToPath(new URL('./.storybook', import.meta.url)) }),
    ],
    test: {
      name: 'storybook',
      browser: {
        enabled: true,
        headless: true,
        provider: playwright({ launchOptions: CHROMIUM_LAUNCH }),
        instances: [{ browser: 'chromium' as const }],
      },
    },
  }
}

/** The demo shop in Chromium against the three real servers, which each test file starts. */
function e2eProject() {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name: 'e2e',
      root: 'apps/shop',
      environment: 'node' as const,
      include: ['e2e/**/*.test.ts'],
      globalSetup: ['./e2e/global-setup.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  }
}

/** Real BFF processes (built packages), a load balancer, PostgreSQL, faults: the reliability suite. */
function reliabilityProject() {
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name: 'reliability',
      root: 'packages/koa',
      environment: 'node' as const,
      include: ['reliability/**/*.test.ts'],
      globalSetup: ['./reliability/build-setup.ts'],
      testTimeout: 180_000,
      hookTimeout: 60_000,
    },
  }
}

/** Checks of the repository as a whole: its structure, its registries, its docs. */
function repositoryProject() {
  return {
    test: {
      name: 'repository',
      root: 'tests/repository',
      environment: 'node' as const,
      include: ['*.test.ts'],
      testTimeout: 120_000,
    },
  }
}

export default defineConfig({
  test: {
    projects: [
      repositoryProject(),
      nodeProject('core'),
      nodeProject('sandbox'),
      nodeProject('client'),
      nodeProject('koa'),
      nodeProject('bff', 'apps'),
      reactProject('react'),
      reactProject('react18'),
      storybookProject(),
      e2eProject(),
      reliabilityProject(),
    ],
  },
})
