import type { Locale } from '@alipay-kit/client'
import { useEffect, useState } from 'react'

/**
 * The divisions' English names (code → name), loaded in a chunk of their own only when the shop is
 * shown in English; undefined in Chinese and until they arrive (addresses show in Chinese meanwhile).
 */
export function useEnglishRegionNames(locale: Locale): ReadonlyMap<string, string> | undefined {
  const [names, setNames] = useState<ReadonlyMap<string, string>>()
  useEffect(() => {
    if (locale !== 'en') return
    let live = true
    import('@alipay-kit/core/regions-en').then((module) => {
      if (live) setNames(module.englishRegionNames())
    })
    return () => {
      live = false
    }
  }, [locale])
  return locale === 'en' ? names : undefined
}
