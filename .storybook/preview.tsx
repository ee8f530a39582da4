import type { Locale } from '@alipay-kit/client'
import { AlipayProvider, type Navigator } from '@alipay-kit/react'
import type { Preview } from '@storybook/react-vite'
import { QueryClient } from '@tanstack/react-query'
import { mswLoader } from 'msw-storybook-addon/csf3'
import { useState } from 'react'
import '@alipay-kit/react/styles.css'

/** Where the kit would send the buyer: recorded for play functions instead of leaving Storybook. */
declare global {
  interface Window {
    __alipayKitVisits?: Array<{ kind: 'assign' | 'post'; target: string }>
  }
}
const storyNavigator: Navigator = {
  assign: (url) => {
    window.__alipayKitVisits = [
      ...(window.__alipayKitVisits ?? []),
      { kind: 'assign', target: url },
    ]
  },
  post: (form) => {
    window.__alipayKitVisits = [
      ...(window.__alipayKitVisits ?? []),
      { kind: 'post', target: form.action },
    ]
  },
}

const preview: Preview = {
  parameters: {
    layout: 'padded',
    // Accessibility violations fail the story's test.
    a11y: { test: 'error' },
  },
  globalTypes: {
    locale: {
      description: 'Language',
      toolbar: { icon: 'globe', items: ['zh-CN', 'en'], dynamicTitle: true },
    },
  },
  initialGlobals: { locale: 'zh-CN' },
  loaders: [mswLoader()],
  decorators: [
    (Story, context) => {
      // A fresh cache for every story, so one story's mocked answers never show in another.
      const [queryClient] = useState(
        () =>
          new QueryClient({
            defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
          }),
      )
      window.__alipayKitVisits = []
      const locale = (context.parameters.locale ?? context.globals.locale ?? 'zh-CN') as Locale
      return (
        <AlipayProvider locale={locale} queryClient={queryClient} navigator={storyNavigator}>
          <Story />
        </AlipayProvider>
      )
    },
  ],
}

export default preview
