import type { Locale } from '@alipay-kit/client'
import type { Division, DivisionTree } from '@alipay-kit/core/regions'
import { useEffect, useState } from 'react'

export type { Division, DivisionTree }

/** Division names in English by code, for pages shown in English. */
export type EnglishNames = ReadonlyMap<string, string>

let loading: Promise<DivisionTree> | undefined
let loadingEnglish: Promise<EnglishNames> | undefined

/**
 * The national divisions, loaded on first use in a chunk of their own (about 60 kB before
 * compression), so that pages without an address form never download them.
 */
export function loadRegions(): Promise<DivisionTree> {
  loading ??= import('@alipay-kit/core/regions').then((module) => module.divisionTree())
  return loading
}

/** The divisions' English names, in another chunk of their own: only English pages load it. */
export function loadEnglishRegionNames(): Promise<EnglishNames> {
  loadingEnglish ??= import('@alipay-kit/core/regions-en').then((module) =>
    module.englishRegionNames(),
  )
  return loadingEnglish
}

interface RegionsState {
  /** The division tree once loaded (undefined meanwhile and on the server). */
  readonly tree: DivisionTree | undefined
  /** English names, once loaded, when the locale is English; undefined otherwise. */
  readonly english: EnglishNames | undefined
  readonly error: Error | undefined
}

/** The division tree (and, in English, the divisions' English names) once loaded, or the error. */
export function useRegions(locale: Locale): RegionsState {
  const [state, setState] = useState<RegionsState>({
    tree: undefined,
    english: undefined,
    error: undefined,
  })
  useEffect(() => {
    let live = true
    // The tree is shown as soon as it comes; English labels replace the Chinese ones when theirs does.
    loadRegions().then(
      (tree) => live && setState((s) => ({ ...s, tree, error: undefined })),
      (error: Error) => live && setState((s) => ({ ...s, tree: undefined, error })),
    )
    if (locale === 'en')
      loadEnglishRegionNames().then(
        (english) => live && setState((s) => ({ ...s, english })),
        (error: Error) => live && setState((s) => ({ ...s, error })),
      )
    else setState((s) => (s.english ? { ...s, english: undefined } : s))
    return () => {
      live = false
    }
  }, [locale])
  return state
}

export interface RegionHit {
  readonly province: Division
  readonly city: Division
  readonly district: Division | undefined
}

/**
 * Districts (and cities) whose name contains the text, best first: for the cascader's search box.
 * With English names, the English name matches too, whatever its case (pudong, Pudong).
 */
export function searchRegions(
  tree: DivisionTree,
  text: string,
  limit = 8,
  english?: EnglishNames,
): RegionHit[] {
  const needle = text.trim()
  if (needle.length === 0) return []
  const lower = needle.toLowerCase()
  /** 0 when the name starts with the text, 1 when it contains it, undefined when neither. */
  const match = (division: Division): number | undefined => {
    const names = [division.name, english?.get(division.code)?.toLowerCase()]
    const texts = [needle, lower]
    if (names.some((name, i) => name?.startsWith(texts[i] as string))) return 0
    if (names.some((name, i) => name?.includes(texts[i] as string))) return 1
    return undefined
  }
  const hits: Array<RegionHit & { rank: number }> = []
  for (const province of tree.provinces) {
    for (const city of tree.cities.get(province.code) ?? []) {
      const cityRank = match(city)
      if (cityRank !== undefined)
        hits.push({ province, city, district: undefined, rank: cityRank === 0 ? 1 : 3 })
      for (const district of tree.counties.get(city.code) ?? []) {
        const rank = match(district)
        if (rank !== undefined) hits.push({ province, city, district, rank: rank === 0 ? 0 : 2 })
      }
    }
  }
  return hits
    .sort(
      (a, b) =>
        a.rank - b.rank || (a.district ?? a.city).code.localeCompare((b.district ?? b.city).code),
    )
    .slice(0, limit)
    .map(({ rank: _rank, ...hit }) => hit)
}
