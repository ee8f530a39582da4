import { type Locale, PAY_SERVICE_NAMES, type PayService } from '@alipay-kit/client'
import { createContext, type ReactNode, useContext, useState } from 'react'
import { TEXTS, type Texts } from './texts.js'

/** What the demo demonstrates: the payment service and the language (from ?service=&lang= or the panel). */
export interface Settings {
  readonly service: PayService
  readonly locale: Locale
}

/** Every service: the cashier ones through the pay button, `qr` through the scan page. */
const SERVICES: readonly PayService[] = PAY_SERVICE_NAMES
const KEY = 'tea-house:settings'

function initial(): Settings {
  const stored = (() => {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) ?? '{}') as Partial<Settings>
    } catch {
      return {}
    }
  })()
  const query = new URLSearchParams(window.location.search)
  const service = (query.get('service') ?? stored.service ?? 'instant') as PayService
  const lang = query.get('lang') ?? stored.locale ?? 'zh-CN'
  const settings: Settings = {
    service: SERVICES.includes(service) ? service : 'instant',
    locale: lang === 'en' ? 'en' : 'zh-CN',
  }
  // A setting given in the URL sticks, through the round trips to Alipay and back.
  if (query.has('service') || query.has('lang'))
    window.localStorage.setItem(KEY, JSON.stringify(settings))
  return settings
}

const Context = createContext<
  { settings: Settings; change(next: Partial<Settings>): void; t: Texts } | undefined
>(undefined)

export function SettingsProvider({ children }: { children: ReactNode }) {
  const [settings, setSettings] = useState(initial)
  const change = (next: Partial<Settings>) =>
    setSettings((current) => {
      const merged = { ...current, ...next }
      window.localStorage.setItem(KEY, JSON.stringify(merged))
      return merged
    })
  return (
    <Context.Provider value={{ settings, change, t: TEXTS[settings.locale] }}>
      {children}
    </Context.Provider>
  )
}

export function useSettings() {
  const value = useContext(Context)
  if (!value) throw new Error('useSettings needs <SettingsProvider>')
  return value
}

/** The demo's settings panel: which service to demonstrate, and the language. */
export function SettingsPanel() {
  const { settings, change, t } = useSettings()
  return (
    <details className="settings">
      <summary>{t.settings}</summary>
      <label>
        {t.service}
        <select
          name="service"
          value={settings.service}
          onChange={(event) => change({ service: event.target.value as PayService })}
        >
          {SERVICES.map((service) => (
            <option key={service} value={service}>
              {t.services[service]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t.language}
        <select
          name="lang"
          value={settings.locale}
          onChange={(event) => change({ locale: event.target.value as Locale })}
        >
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </label>
    </details>
  )
}
