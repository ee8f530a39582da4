import { DIVISIONS_DATA } from './divisions.data.js'

/** One administrative division with its national statistics (NBS) code. */
export interface Division {
  /** 2 digits for a province, 4 for a prefecture, 6 for a county. */
  readonly code: string
  readonly name: string
}

export interface DivisionTree {
  readonly provinces: readonly Division[]
  /** Prefecture-level divisions by province code. */
  readonly cities: ReadonlyMap<string, readonly Division[]>
  /** County-level divisions by prefecture code. */
  readonly counties: ReadonlyMap<string, readonly Division[]>
}

let tree: DivisionTree | undefined

function push(map: Map<string, Division[]>, key: string, division: Division): void {
  const list = map.get(key)
  if (list) list.push(division)
  else map.set(key, [division])
}

/** The national divisions (province, prefecture, county), parsed on first use. */
export function divisionTree(): DivisionTree {
  if (tree) return tree
  const provinces: Division[] = []
  const cities = new Map<string, Division[]>()
  const counties = new Map<string, Division[]>()
  for (const entry of DIVISIONS_DATA.split('|')) {
    const space = entry.indexOf(' ')
    const division = { code: entry.slice(0, space), name: entry.slice(space + 1) }
    if (division.code.length === 2) provinces.push(division)
    else if (division.code.length === 4) push(cities, division.code.slice(0, 2), division)
    else push(counties, division.code.slice(0, 4), division)
  }
  tree = { provinces, cities, counties }
  return tree
}

/** Province codes of the four municipalities (直辖市): 北京, 天津, 上海, 重庆. */
export const MUNICIPALITY_CODES: ReadonlySet<string> = new Set(['11', '12', '31', '50'])

/** Prefecture placeholders that are not places a person would name (市辖区, 县, 省直辖县级行政区划…). */
export function isPlaceholderCity(name: string): boolean {
  return name === '市辖区' || name === '县' || name.endsWith('直辖县级行政区划')
}
