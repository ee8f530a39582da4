import type { StorybookConfig } from '@storybook/react-vite'

// Storybook for @alipay-kit/react, with the BFF mocked by MSW so previews need no server.
const config: StorybookConfig = {
  stories: ['../packages/react/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-vitest', 'msw-storybook-addon'],
  framework: { name: '@storybook/react-vite', options: {} },
  staticDirs: ['./public'],
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // Workspace packages from their source, as everywhere else in the repository.
    const conditions = ['@alipay-kit/source', 'module', 'browser', 'development|production']
    viteConfig.resolve = { ...viteConfig.resolve, conditions }
    return viteConfig
  },
}

export default config
