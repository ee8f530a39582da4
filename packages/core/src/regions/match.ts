import { type Division, divisionTree, isPlaceholderCity, MUNICIPALITY_CODES } from './divisions.js'
import { bareName, cleanName, coreName, type DivisionLevel } from './names.js'

/** How a name was matched, strongest first. Alipay's two heuristics are `contains` and `prefix` (docs/protocol.md, "Addresses"). */
export type MatchMethod = 'exact' | 'normalized' | 'contains' | 'prefix'

export type MatchConfidence = MatchMethod | 'ambiguous' | 'partial' | 'none'

/** An address's region names as Alipay (or a shop) writes them. */
export interface RegionNames {
  readonly province?: string | undefined
  readonly city?: string | undefined
  readonly district?: string | undefined
}

export interface RegionMatch {
  readonly province: Division | undefined
  readonly city: Division | undefined
  readonly district: Division | undefined
  /**
   * The weakest method used across the levels, or: `ambiguous` (a name fits several divisions,
   * listed in `candidates`), `partial` (a lower level was given but not found), `none`.
   */
  readonly confidence: MatchConfidence
  readonly candidates: readonly Division[]
}

type Found = { division: Division; method: MatchMethod } | { ambiguous: Division[] } | undefined

const STRENGTH: readonly MatchMethod[] = ['exact', 'normalized', 'contains', 'prefix']

/** Finds `name` among `candidates`, trying each method in turn; a method that fits several is ambiguous. */
function findDivision(name: string, candidates: readonly Division[], level: DivisionLevel): Found {
  const clean = cleanName(name)
  if (clean === '') return undefined
  const core = coreName(clean, level)
  const tests: Record<MatchMethod, (d: Division) => boolean> = {
    exact: (d) => d.name === clean,
    normalized: (d) => coreName(d.name, level) === core || bareName(d.name, level) === clean,
    // Alipay's method 1: one name contains the other.
    contains: (d) =>
      core.length >= 2 && (d.name.includes(core) || clean.includes(coreName(d.name, level))),
    // Alipay's method 2: the first two characters agree.
    prefix: (d) => clean.length >= 2 && d.name.slice(0, 2) === clean.slice(0, 2),
  }
  for (const method of STRENGTH) {
    const hits = candidates.filter(tests[method])
    if (hits.length === 1) return { division: hits[0] as Division, method }
    if (hits.length > 1) return { ambiguous: hits }
  }
  return undefined
}

function weakest(methods: readonly MatchMethod[]): MatchMethod {
  return methods.reduce<MatchMethod>(
    (worst, m) => (STRENGTH.indexOf(m) > STRENGTH.indexOf(worst) ? m : worst),
    'exact',
  )
}

/**
 * Matches an address's province / city / district names to national division codes.
 * Handles municipalities with or without 市 (上海 ↔ 上海市) and their 市辖区 placeholder, districts
 * in full or short (浦东 ↔ 浦东新区), autonomous prefectures and counties (延边 ↔ 延边朝鲜族自治州),
 * counties directly under a province (仙桃), then Alipay's containment and two-character heuristics.
 *
 * @example matchRegion({ province: '上海', city: '上海市', district: '浦东' }).district?.code // '310115'
 */
export function matchRegion(names: RegionNames): RegionMatch {
  const tree = divisionTree()
  const none = (
    confidence: MatchConfidence,
    candidates: Division[] = [],
    province?: Division,
    city?: Division,
  ): RegionMatch => ({
    province,
    city,
    district: undefined,
    confidence,
    candidates,
  })

  const provinceFound = names.province
    ? findDivision(names.province, tree.provinces, 'province')
    : undefined
  if (!provinceFound) return none('none')
  if ('ambiguous' in provinceFound) return none('ambiguous', provinceFound.ambiguous)
  const province = provinceFound.division
  const methods: MatchMethod[] = [provinceFound.method]
  const cities = tree.cities.get(province.code) ?? []
  const allCounties = cities.flatMap((city) => tree.counties.get(city.code) ?? [])
  const cityOf = (county: Division): Division | undefined =>
    cities.find((city) => city.code === county.code.slice(0, 4))

  // Which prefecture the city name means. A municipality's own name (上海市) or a placeholder
  // names no prefecture: the district then decides.
  let city: Division | undefined
  let cityAsCounty: Division | undefined
  const cityName = names.city ? cleanName(names.city) : ''
  const namesMunicipality =
    MUNICIPALITY_CODES.has(province.code) &&
    cityName !== '' &&
    coreName(cityName, 'city') === coreName(province.name, 'province')
  if (cityName !== '' && !namesMunicipality) {
    const placeholder = isPlaceholderCity(cityName) ? cities.filter((c) => c.name === cityName) : []
    const cityFound =
      placeholder.length === 1
        ? { division: placeholder[0] as Division, method: 'exact' as const }
        : findDivision(
            cityName,
            cities.filter((c) => !isPlaceholderCity(c.name)),
            'city',
          )
    if (cityFound && 'ambiguous' in cityFound)
      return none('ambiguous', cityFound.ambiguous, province)
    if (cityFound) {
      city = cityFound.division
      methods.push(cityFound.method)
    } else {
      // Counties directly under the province (仙桃市, 五指山市) are often given as the city.
      const county = findDivision(cityName, allCounties, 'county')
      if (county && !('ambiguous' in county)) {
        cityAsCounty = county.division
        city = cityOf(county.division)
        methods.push(county.method)
      }
    }
  }

  // The county given as the city (仙桃市) stands in when no district is given or found.
  const fallback = (): RegionMatch =>
    cityAsCounty
      ? { province, city, district: cityAsCounty, confidence: weakest(methods), candidates: [] }
      : none(
          cityName && !city && !namesMunicipality ? 'partial' : weakest(methods),
          [],
          province,
          city,
        )

  if (!names.district || cleanName(names.district) === '') return fallback()
  const scope = city ? (tree.counties.get(city.code) ?? []) : allCounties
  const districtFound =
    findDivision(names.district, scope, 'county') ??
    (city ? findDivision(names.district, allCounties, 'county') : undefined)
  if (!districtFound) return cityAsCounty ? fallback() : none('partial', [], province, city)
  if ('ambiguous' in districtFound)
    return none('ambiguous', districtFound.ambiguous, province, city)
  const district = districtFound.division
  methods.push(districtFound.method)
  return {
    province,
    city: cityOf(district),
    district,
    confidence: weakest(methods),
    candidates: [],
  }
}
