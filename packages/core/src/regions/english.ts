import { DIVISIONS_DATA } from './divisions.data.js'
import { DIVISIONS_EN_DATA } from './divisions-en.data.js'

let names: ReadonlyMap<string, string> | undefined

/**
 * English names of the national divisions by NBS code (31 → Shanghai, 310115 → Pudong New Area,
 * 2224 → Yanbian Korean Autonomous Prefecture), for showing regions to people who read English.
 * Alipay and couriers still get the Chinese names: an address keeps them; this only labels them.
 * How the names are made and checked: docs/regions.md.
 *
 * @example
 * import { englishRegionNames } from '@alipay-kit/core/regions-en'
 * englishRegionNames().get('310115') // 'Pudong New Area'
 */
export function englishRegionNames(): ReadonlyMap<string, string> {
  if (names) return names
  const codes = DIVISIONS_DATA.split('|')
  const english = DIVISIONS_EN_DATA.split('|')
  const map = new Map<string, string>()
  codes.forEach((entry, i) => {
    map.set(entry.slice(0, entry.indexOf(' ')), english[i] ?? '')
  })
  names = map
  return names
}
