/*
 * Region names as people write them. Alipay uses the national statistics names (上海, 浦东新区);
 * shops often write 上海市 or 浦东, and autonomous areas by their short names (延边, 长阳).
 */

const PROVINCE_SUFFIXES = [
  '特别行政区',
  '维吾尔自治区',
  '壮族自治区',
  '回族自治区',
  '自治区',
  '省',
  '市',
]
const CITY_SUFFIXES = ['自治州', '地区', '林区', '盟', '市']
const COUNTY_SUFFIXES = ['自治县', '自治旗', '新区', '林区', '特区', '矿区', '区', '县', '市', '旗']

/** The peoples named in autonomous region names, longest first so 土家族 wins over 家族-like cuts. */
const PEOPLES = [
  '维吾尔',
  '哈萨克',
  '柯尔克孜',
  '塔吉克',
  '乌孜别克',
  '塔塔尔',
  '俄罗斯',
  '鄂伦春',
  '鄂温克',
  '达斡尔',
  '土家',
  '布依',
  '仡佬',
  '毛南',
  '仫佬',
  '拉祜',
  '傈僳',
  '景颇',
  '哈尼',
  '纳西',
  '普米',
  '独龙',
  '撒拉',
  '保安',
  '东乡',
  '裕固',
  '锡伯',
  '朝鲜',
  '蒙古',
  '各',
  '壮',
  '回',
  '藏',
  '苗',
  '彝',
  '侗',
  '瑶',
  '白',
  '傣',
  '黎',
  '畲',
  '水',
  '羌',
  '土',
  '满',
  '佤',
  '怒',
  '京',
  '布朗',
  '阿昌',
  '德昂',
  '基诺',
  '门巴',
  '珞巴',
  '赫哲',
].sort((a, b) => b.length - a.length)

/** Removes spaces of any width; names are compared without them. */
export function cleanName(name: string): string {
  return name.replace(/[\s\u3000]+/g, '')
}

/** Strips the first matching suffix, keeping at least `keep` characters of name. */
function stripSuffix(name: string, suffixes: readonly string[], keep = 2): string {
  for (const suffix of suffixes) {
    if (name.length >= suffix.length + keep && name.endsWith(suffix))
      return name.slice(0, -suffix.length)
  }
  return name
}

/** Removes trailing "X族" (one or more peoples) from an autonomous area's name: 湘西土家族苗族 → 湘西. */
function stripPeoples(name: string): string {
  let rest = name
  for (;;) {
    if (!rest.endsWith('族')) return rest
    const people = PEOPLES.find((p) => rest.endsWith(`${p}族`) && rest.length > p.length + 2)
    if (!people) return rest
    rest = rest.slice(0, -(people.length + 1))
  }
}

export type DivisionLevel = 'province' | 'city' | 'county'

const SUFFIXES: Readonly<Record<DivisionLevel, readonly string[]>> = {
  province: PROVINCE_SUFFIXES,
  city: CITY_SUFFIXES,
  county: COUNTY_SUFFIXES,
}

/**
 * The core of a name, with its administrative suffix and any peoples removed:
 * 上海市 → 上海, 浦东新区 → 浦东, 延边朝鲜族自治州 → 延边, 广西壮族自治区 → 广西.
 */
export function coreName(name: string, level: DivisionLevel): string {
  return stripPeoples(stripSuffix(cleanName(name), SUFFIXES[level]))
}

/**
 * The name with its suffix removed even when one character is left (赵县 → 赵, 城区 → 城): too
 * short to search with, but an exact equality on it is safe.
 */
export function bareName(name: string, level: DivisionLevel): string {
  return stripSuffix(cleanName(name), SUFFIXES[level], 1)
}
