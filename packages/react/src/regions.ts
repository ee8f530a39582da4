import type { Division, DivisionTree } from '@alipay-kit/core/regions'
import { useEffect, useState } from 'react'

export type { Division, DivisionTree }

let loading: Promise<DivisionTree> | undefined

/**
 * The national divisions, loaded on first use in a chunk of their own (about 60 kB before
 * compression), so that pages without an address form never download them.
 */
export function loadRegions(): Promise<DivisionTree> {
  loading ??= import('@alipay-kit/core/regions').then((module) => module.divisionTree())
  return loading
}

/** The division tree once loaded (undefined meanwhile and on the server), or the load error. */
export function useRegions(): { tree: DivisionTree | undefined; error: Error | undefined } {
  const [state, setState] = useState<{ tree: DivisionTree | undefined; error: Error | undefined }>({
    tree: undefined,
    error: undefined,
  })
  useEffect(() => {
    let live = true
    loadRegions().then(
      (tree) => live && setState({ tree, error: undefined }),
      (error: Error) => live && setState({ tree: undefined, error }),
    )
    return () => {
      live = false
    }
  }, [])
  return state
}

export interface RegionHit {
  readonly province: Division
  readonly city: Division
  readonly district: Division | undefined
}

/** Districts (and cities) whose name contains the text, best first: for the cascader's search box. */
export function searchRegions(tree: DivisionTree, text: string, limit = 8): RegionHit[] {
  const needle = text.trim()
  if (needle.length === 0) return []
  const hits: Array<RegionHit & { rank: number }> = []
  for (const province of tree.provinces) {
    for (const city of tree.cities.get(province.code) ?? []) {
      const cityName = city.name
      if (cityName.includes(needle))
        hits.push({
          province,
          city,
          district: undefined,
          rank: cityName.startsWith(needle) ? 1 : 3,
        })
      for (const district of tree.counties.get(city.code) ?? []) {
        if (district.name.includes(needle))
          hits.push({ province, city, district, rank: district.name.startsWith(needle) ? 0 : 2 })
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
