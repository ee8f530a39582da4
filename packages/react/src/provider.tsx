'use client'
import {
  type AlipayKitClient,
  type CashierStart,
  createAlipayKitClient,
  type Locale,
} from '@alipay-kit/client'
import { AlipayKitError } from '@alipay-kit/core/errors'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import {
  type CSSProperties,
  createContext,
  type ReactNode,
  useContext,
  useMemo,
  useState,
} from 'react'
import { MESSAGES, type Messages } from './messages.js'
import { postForm } from './post-form.js'

/** Colours and shapes, as CSS variables on the kit's root element (see styles.css for the list). */
export interface AlipayTheme {
  /** The blue of buttons and links (#0958d9: Alipay's family, with AA contrast for text). */
  readonly primary?: string
  /** The mark's blue: Alipay brand blue #1677ff. */
  readonly brand?: string
  readonly primaryText?: string
  readonly radius?: string
  readonly fontFamily?: string
  readonly danger?: string
  readonly success?: string
}

/** How the kit leaves the page for Alipay: a URL to open, or a form to POST. */
export interface Navigator {
  assign(url: string): void
  post(form: CashierStart['form']): void
}

export interface AlipayKitContextValue {
  readonly client: AlipayKitClient
  readonly locale: Locale
  readonly messages: Messages
  readonly navigator: Navigator
}

const Context = createContext<AlipayKitContextValue | undefined>(undefined)

export interface AlipayProviderProps {
  /** Where the BFF is: "" when it serves the SPA's origin (the default), or its URL. */
  readonly baseUrl?: string
  /** zh-CN (default) or en. */
  readonly locale?: Locale
  /** Your react-query client, if the app has one; otherwise the provider makes its own. */
  readonly queryClient?: QueryClient
  readonly theme?: AlipayTheme
  /** A fetch of your own (tests, custom headers). */
  readonly fetch?: typeof fetch
  /** How to leave for Alipay; default: window.location and a real form POST (Storybook and tests replace it). */
  readonly navigator?: Navigator
  readonly children?: ReactNode
}

function themeStyle(theme: AlipayTheme | undefined): CSSProperties | undefined {
  if (!theme) return undefined
  const style: Record<string, string> = {}
  if (theme.primary) style['--akit-primary'] = theme.primary
  if (theme.brand) style['--akit-brand'] = theme.brand
  if (theme.primaryText) style['--akit-primary-text'] = theme.primaryText
  if (theme.radius) style['--akit-radius'] = theme.radius
  if (theme.fontFamily) style['--akit-font'] = theme.fontFamily
  if (theme.danger) style['--akit-danger'] = theme.danger
  if (theme.success) style['--akit-success'] = theme.success
  return style as CSSProperties
}

/** Leaves the page the browser's way. */
export const browserNavigator: Navigator = {
  assign: (url) => window.location.assign(url),
  post: (form) => postForm(form),
}

/**
 * Gives the kit's components their BFF, language and theme. Wrap the part of your app that uses
 * them (it can be the whole app).
 *
 * @example
 * <AlipayProvider baseUrl="" locale="zh-CN"><Checkout /></AlipayProvider>
 */
export function AlipayProvider(props: AlipayProviderProps) {
  const [ownClient] = useState(
    () =>
      props.queryClient ??
      new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } }),
  )
  const queryClient = props.queryClient ?? ownClient
  const locale = props.locale ?? 'zh-CN'
  const { baseUrl, fetch: doFetch } = props
  const client = useMemo(
    () => createAlipayKitClient({ baseUrl: baseUrl ?? '', ...(doFetch ? { fetch: doFetch } : {}) }),
    [baseUrl, doFetch],
  )
  const navigator = props.navigator ?? browserNavigator
  const value = useMemo(
    () => ({ client, locale, messages: MESSAGES[locale], navigator }),
    [client, locale, navigator],
  )
  return (
    <QueryClientProvider client={queryClient}>
      <Context.Provider value={value}>
        <div className="akit-root" lang={locale} style={themeStyle(props.theme)}>
          {props.children}
        </div>
      </Context.Provider>
    </QueryClientProvider>
  )
}

/** The provider's client, language and messages. Throws, saying what to do, outside an AlipayProvider. */
export function useAlipayKit(component = 'this component'): AlipayKitContextValue {
  const value = useContext(Context)
  if (!value)
    throw new AlipayKitError(
      'MISUSE',
      `Could not find AlipayProvider; wrap the part of your app that uses ${component} in <AlipayProvider>`,
    )
  return value
}
