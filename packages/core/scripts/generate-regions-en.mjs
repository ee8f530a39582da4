// Writes src/regions/divisions-en.data.ts: an English name for every division of
// src/regions/divisions.data.ts, in the same order. Names are Hanyu Pinyin (the national standard
// for place names, GB/T 16159), with the administrative suffix and the peoples of autonomous areas
// in English (大厂回族自治县 → Dachang Hui Autonomous County), and the provinces by their usual
// English names. Why each table is here: docs/regions.md.
//
// pinyin-pro reads most characters right, but a place name is not ordinary text: 六安 is Lu'an,
// 乐亭 Laoting, 都 in a place name is du. So every character with more than one reading must be
// decided here, by the character (PLACE_READINGS) or by the name (NAME_READINGS); a name with an
// undecided one stops the generation, so a new edition of the data cannot slip a guess through.
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pinyin } from 'pinyin-pro'
import { compactDivisions } from './generate-regions.mjs'

/** The provinces, by NBS code, as their English names are usually written. */
export const PROVINCES_EN = {
  11: 'Beijing',
  12: 'Tianjin',
  13: 'Hebei',
  14: 'Shanxi',
  15: 'Inner Mongolia',
  21: 'Liaoning',
  22: 'Jilin',
  23: 'Heilongjiang',
  31: 'Shanghai',
  32: 'Jiangsu',
  33: 'Zhejiang',
  34: 'Anhui',
  35: 'Fujian',
  36: 'Jiangxi',
  37: 'Shandong',
  41: 'Henan',
  42: 'Hubei',
  43: 'Hunan',
  44: 'Guangdong',
  45: 'Guangxi',
  46: 'Hainan',
  50: 'Chongqing',
  51: 'Sichuan',
  52: 'Guizhou',
  53: 'Yunnan',
  54: 'Tibet',
  61: 'Shaanxi',
  62: 'Gansu',
  63: 'Qinghai',
  64: 'Ningxia',
  65: 'Xinjiang',
  71: 'Taiwan',
  81: 'Hong Kong',
  82: 'Macao',
}

/**
 * The reading each character with several readings has in place names, unless NAME_READINGS says
 * otherwise for a name (e.g. 都 is du in 成都, 花都, 郫都; pinyin-pro reads dou).
 */
export const PLACE_READINGS = {
  县: 'xian',
  区: 'qu',
  省: 'sheng',
  南: 'nan',
  术: 'shu',
  大: 'da',
  长: 'chang',
  石: 'shi',
  和: 'he',
  都: 'du',
  家: 'jia',
  阿: 'a',
  港: 'gang',
  广: 'guang',
  合: 'he',
  泽: 'ze',
  藏: 'zang',
  红: 'hong',
  万: 'wan',
  会: 'hui',
  勒: 'le',
  宿: 'su',
  景: 'jing',
  信: 'xin',
  甸: 'dian',
  什: 'shi',
  谷: 'gu',
  屯: 'tun',
  扎: 'zha',
  朝: 'chao',
  地: 'di',
  行: 'xing',
  侗: 'dong',
  陆: 'lu',
  屏: 'ping',
  内: 'nei',
  齐: 'qi',
  沈: 'shen',
  无: 'wu',
  柏: 'bai',
  塞: 'sai',
  洞: 'dong',
  思: 'si',
  澄: 'cheng',
  许: 'xu',
  色: 'se',
  那: 'na',
  氏: 'shi',
  陶: 'tao',
  强: 'qiang',
  车: 'che',
  汤: 'tang',
  奇: 'qi',
  叶: 'ye',
  若: 'ruo',
  卡: 'ka',
  吾: 'wu',
  尾: 'wei',
  休: 'xiu',
  敦: 'dun',
  伯: 'bo',
  召: 'zhao',
  查: 'cha',
  提: 'ti',
  重: 'chong',
  疆: 'jiang',
  莫: 'mo',
  净: 'jing',
  孙: 'sun',
  熟: 'shu',
  将: 'jiang',
  度: 'du',
  解: 'jie',
  曾: 'zeng',
  的: 'de',
  其: 'qi',
  得: 'de',
  称: 'cheng',
  员: 'yuan',
  耆: 'qi',
  硕: 'shuo',
  莎: 'sha',
  枝: 'zhi',
  彭: 'peng',
  盖: 'gai',
  蚌: 'beng',
  六: 'liu',
  佛: 'fo',
  揭: 'jie',
  综: 'zong',
  棱: 'leng',
  淳: 'chun',
  皋: 'gao',
  牟: 'mu',
  渠: 'qu',
  漯: 'luo',
  莞: 'guan',
  番: 'fan',
  革: 'ge',
  繁: 'fan',
  勃: 'bo',
  斡: 'wo',
  绿: 'lü',
  乾: 'qian',
  栖: 'qi',
  射: 'she',
  汶: 'wen',
  荥: 'ying',
  尉: 'wei',
  圩: 'xu',
  埔: 'pu',
  觉: 'jue',
  仡: 'ge',
  堡: 'bao',
  乐: 'le',
  厦: 'xia',
  底: 'di',
  坻: 'di',
  妃: 'fei',
  蔚: 'yu',
  泊: 'bo',
  厂: 'chang',
  转: 'zhuan',
  峙: 'shi',
  圈: 'quan',
  调: 'diao',
  食: 'shi',
  珲: 'hun',
  箐: 'qing',
  茄: 'qie',
  虹: 'hong',
  贾: 'jia',
  眙: 'yi',
  句: 'ju',
  枞: 'zong',
  歙: 'she',
  涡: 'guo',
  铅: 'yan',
  朐: 'qu',
  莘: 'shen',
  棣: 'di',
  单: 'shan',
  殷: 'yin',
  浚: 'xun',
  渑: 'mian',
  宛: 'wan',
  潢: 'huang',
  泌: 'bi',
  陂: 'pi',
  禺: 'yu',
  禅: 'chan',
  覃: 'tan',
  羊: 'yang',
  犍: 'qian',
  夹: 'jia',
  筠: 'jun',
  亨: 'heng',
  腊: 'la',
  濞: 'bi',
  丁: 'ding',
  柞: 'zha',
  峒: 'tong',
  宕: 'tan',
  碌: 'lu',
  助: 'zhu',
  且: 'qie',
  伽: 'jia',
  淖: 'nao',
  与: 'yu',
  参: 'shen',
}

/** Names whose reading differs from PLACE_READINGS: the part of the name and its syllables. */
export const NAME_READINGS = {
  六安: 'lu an',
  六合: 'lu he',
  长子: 'zhang zi',
  乐亭: 'lao ting',
  乐清: 'yue qing',
  东阿: 'dong e',
  荥阳: 'xing yang',
  番禺: 'pan yu',
  洪洞: 'hong tong',
  召陵: 'shao ling',
  称多: 'chen duo',
  中牟: 'zhong mou',
  大埔: 'da bu',
  穆棱: 'mu ling',
  吴堡: 'wu bu',
  红寺堡: 'hong si bu',
}

/** The peoples of autonomous areas (…族), as the areas' English names write them. */
export const PEOPLES_EN = {
  维吾尔: 'Uyghur',
  哈萨克: 'Kazakh',
  柯尔克孜: 'Kirgiz',
  塔吉克: 'Tajik',
  乌孜别克: 'Uzbek',
  塔塔尔: 'Tatar',
  俄罗斯: 'Russian',
  鄂伦春: 'Oroqen',
  鄂温克: 'Evenki',
  达斡尔: 'Daur',
  土家: 'Tujia',
  布依: 'Bouyei',
  仡佬: 'Gelao',
  毛南: 'Maonan',
  仫佬: 'Mulao',
  拉祜: 'Lahu',
  傈僳: 'Lisu',
  景颇: 'Jingpo',
  哈尼: 'Hani',
  纳西: 'Naxi',
  普米: 'Pumi',
  独龙: 'Derung',
  撒拉: 'Salar',
  保安: 'Bonan',
  东乡: 'Dongxiang',
  裕固: 'Yugur',
  锡伯: 'Xibe',
  朝鲜: 'Korean',
  蒙古: 'Mongol',
  各: 'Multi-ethnic',
  壮: 'Zhuang',
  回: 'Hui',
  藏: 'Tibetan',
  苗: 'Miao',
  彝: 'Yi',
  侗: 'Dong',
  瑶: 'Yao',
  白: 'Bai',
  傣: 'Dai',
  黎: 'Li',
  畲: 'She',
  水: 'Sui',
  羌: 'Qiang',
  土: 'Tu',
  满: 'Manchu',
  佤: 'Va',
  怒: 'Nu',
  京: 'Gin',
  布朗: 'Blang',
  阿昌: 'Achang',
  德昂: "De'ang",
  基诺: 'Jino',
  门巴: 'Monba',
  珞巴: 'Lhoba',
  赫哲: 'Hezhen',
}
const PEOPLES = Object.keys(PEOPLES_EN).sort((a, b) => b.length - a.length)

/** Administrative suffixes, longest first within each level. '' means the name alone. */
const CITY_SUFFIXES_EN = [
  ['地区', 'Prefecture'],
  ['林区', 'Forestry District'],
  ['盟', 'League'],
  ['市', ''],
]
const COUNTY_SUFFIXES_EN = [
  ['新区', 'New Area'],
  ['特区', 'Special District'],
  ['矿区', 'Mining District'],
  ['区', 'District'],
  ['县', 'County'],
  ['市', 'City'],
  ['旗', 'Banner'],
]
const AUTONOMOUS_EN = [
  ['自治区', 'Autonomous Region'],
  ['自治州', 'Autonomous Prefecture'],
  ['自治县', 'Autonomous County'],
  ['自治旗', 'Autonomous Banner'],
  ['区', 'District'],
]

/** Development and administrative zones counted as county-level divisions, longest first. */
const ZONES_EN = [
  ['高新技术产业开发区', 'Hi-tech Industrial Development Zone'],
  ['高新技术产业园区', 'Hi-tech Industrial Park'],
  ['高新技术开发区', 'Hi-tech Development Zone'],
  ['高技术产业开发区', 'Hi-tech Industrial Development Zone'],
  ['经济技术开发区', 'Economic and Technological Development Zone'],
  ['城乡一体化示范区', 'Urban-Rural Integration Demonstration Zone'],
  ['综合物流产业聚集区', 'Integrated Logistics Industry Cluster'],
  ['经济综合实验区', 'Comprehensive Economic Experimental Zone'],
  ['转型综合改革示范区', 'Comprehensive Transformation and Reform Demonstration Zone'],
  ['文化旅游创意园区', 'Cultural Tourism Creative Park'],
  ['现代产业园区', 'Modern Industrial Park'],
  ['循环化工园区', 'Circular Chemical Industry Park'],
  ['风景名胜区', 'Scenic Area'],
  ['经济开发区', 'Economic Development Zone'],
  ['管理区管委会', 'Administrative Area'],
  ['工业园区', 'Industrial Park'],
  ['开发区', 'Development Zone'],
  ['管理区', 'Administrative Area'],
  ['示范区', 'Demonstration Zone'],
  ['食品区', 'Food Zone'],
]

/** Names no rule above reads well: the placeholders, the islands, two zones named after treaties. */
export const WHOLE_NAMES_EN = {
  市辖区: 'City districts',
  县: 'Counties',
  省直辖县级行政区划: 'County-level divisions under the province',
  自治区直辖县级行政区划: 'County-level divisions under the region',
  西沙群岛: 'Xisha Islands',
  南沙群岛: 'Nansha Islands',
  中沙群岛的岛礁及其海域: 'Zhongsha Islands',
  吉林中国新加坡食品区: 'Jilin China-Singapore Food Zone',
  中新苏滁高新技术产业开发区: 'China-Singapore Suchu Hi-tech Industrial Development Zone',
  保定白沟新城: 'Baigou New Town, Baoding',
  大柴旦行政委员会: 'Dachaidan Administrative Committee',
  神农架林区: 'Shennongjia Forestry District',
}

/**
 * Prefecture-level places named in a minority language, whose English name is a transcription of
 * that language rather than the pinyin of the Chinese characters (呼和浩特 is Hohhot, not
 * Huhehaote): the forms these cities and prefectures use for themselves in English. Each with its
 * province, so that 兴安县 in Guangxi stays Xing'an while 兴安盟 in Inner Mongolia is Hinggan.
 */
export const NATIVE_NAMES_EN = {
  呼和浩特: ['15', 'Hohhot'],
  鄂尔多斯: ['15', 'Ordos'],
  呼伦贝尔: ['15', 'Hulunbuir'],
  巴彦淖尔: ['15', 'Bayannur'],
  乌兰察布: ['15', 'Ulanqab'],
  兴安: ['15', 'Hinggan'],
  锡林郭勒: ['15', 'Xilingol'],
  阿拉善: ['15', 'Alxa'],
  齐齐哈尔: ['23', 'Qiqihar'],
  哈尔滨: ['23', 'Harbin'],
  拉萨: ['54', 'Lhasa'],
  日喀则: ['54', 'Shigatse'],
  昌都: ['54', 'Qamdo'],
  林芝: ['54', 'Nyingchi'],
  那曲: ['54', 'Nagqu'],
  阿里: ['54', 'Ngari'],
  果洛: ['63', 'Golog'],
  格尔木: ['63', 'Golmud'],
  甘孜: ['51', 'Garze'],
  阿坝: ['51', 'Ngawa'],
  迪庆: ['53', 'Dechen'],
  乌鲁木齐: ['65', 'Urumqi'],
  克拉玛依: ['65', 'Karamay'],
  吐鲁番: ['65', 'Turpan'],
  博尔塔拉: ['65', 'Bortala'],
  巴音郭楞: ['65', 'Bayingolin'],
  阿克苏: ['65', 'Aksu'],
  克孜勒苏: ['65', 'Kizilsu'],
  喀什: ['65', 'Kashgar'],
  和田: ['65', 'Hotan'],
  伊犁: ['65', 'Ili'],
  阿勒泰: ['65', 'Altay'],
}

/** The reading of each character of `text`, which is (part of) `name`, from the tables above. */
function syllables(text, name) {
  const out = pinyin(text, { toneType: 'none', type: 'array', v: false })
  const forced = new Array(out.length)
  for (const [part, reading] of Object.entries(NAME_READINGS)) {
    const at = text.indexOf(part)
    if (at < 0) continue
    for (const [i, syllable] of reading.split(' ').entries()) forced[at + i] = syllable
  }
  return [...text].map((char, i) => {
    if (forced[i]) return forced[i]
    const readings = pinyin(char, { toneType: 'none', type: 'array', multiple: true })
    if (readings.length <= 1) return out[i]
    const reading = PLACE_READINGS[char]
    if (!reading)
      throw new Error(
        `${name}: ${char} has several readings (${readings.join('/')}); decide it in PLACE_READINGS or NAME_READINGS`,
      )
    return reading
  })
}

/** One word of Hanyu Pinyin: capitalised, with an apostrophe before a, o, e after the first syllable (Xi'an). */
export function romanize(text, name = text) {
  const word = syllables(text, name)
    .map((s, i) => (i > 0 && /^[aoe]/.test(s) ? `'${s}` : s))
    .join('')
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** Splits a zone's place part into the division names it starts with: 河北唐山芦台 → 河北 唐山 芦台. */
function placeWords(text, cores) {
  const words = []
  let rest = text
  while (rest.length > 0) {
    const known = cores.find((core) => rest.startsWith(core))
    const next = known ?? (rest.startsWith('市') ? '市' : undefined)
    if (next === '市') {
      rest = rest.slice(1)
      continue
    }
    if (known) {
      words.push(known)
      rest = rest.slice(known.length)
      continue
    }
    // Unknown place words run to the next known name.
    let end = 1
    while (end < rest.length && !cores.some((core) => rest.slice(end).startsWith(core))) end++
    words.push(rest.slice(0, end))
    rest = rest.slice(end)
  }
  // A single character left alone belongs to a word beside it: 五台山 is Wutaishan, not Wutai Shan.
  const merged = []
  for (let i = 0; i < words.length; i++) {
    if (words[i].length === 1 && merged.length > 0) merged[merged.length - 1] += words[i]
    else if (words[i].length === 1 && i + 1 < words.length) words[i + 1] = words[i] + words[i + 1]
    else merged.push(words[i])
  }
  return merged
}

/** Province names without their suffix, by code: 内蒙古, 广西, 西藏. */
const PROVINCE_CORES = {}

/**
 * Strips the trailing peoples: 湘西土家族苗族 → [湘西, [土家, 苗]]. A people of two or more
 * characters may come without 族 (巴音郭楞蒙古自治州, 察布查尔锡伯自治县).
 */
function splitPeoples(text) {
  const peoples = []
  let rest = text
  for (;;) {
    const people = PEOPLES.find((p) => rest.endsWith(`${p}族`))
    const bare = people ? undefined : PEOPLES.find((p) => p.length >= 2 && rest.endsWith(p))
    if (!people && !bare) return [rest, peoples]
    peoples.unshift(people ?? bare)
    rest = rest.slice(0, -(people ? people.length + 1 : bare.length))
  }
}

/** A place word in English: a province's usual name, a native name, or its pinyin. */
function placeWord(word, name, code) {
  const province = Object.entries(PROVINCE_CORES).find(([, core]) => core === word)
  if (province) return PROVINCES_EN[province[0]]
  const native = NATIVE_NAMES_EN[word]
  return native && code.startsWith(native[0]) ? native[1] : romanize(word, name)
}

/** The English name of one division. */
export function englishName(code, name, cores, parentCore) {
  if (WHOLE_NAMES_EN[name]) return WHOLE_NAMES_EN[name]
  if (code.length === 2) {
    const en = PROVINCES_EN[code]
    if (!en) throw new Error(`${code} ${name}: no English name in PROVINCES_EN`)
    return en
  }
  const join = (...parts) => parts.filter(Boolean).join(' ')
  if (name.endsWith('直辖县级行政区划')) throw new Error(`${name}: add it to WHOLE_NAMES_EN`)
  for (const [suffix, en] of ZONES_EN) {
    if (name.endsWith(suffix) && name.length > suffix.length) {
      const words = placeWords(name.slice(0, -suffix.length), cores)
      return join(...words.map((word) => placeWord(word, name, code)), en)
    }
  }
  for (const [suffix, en] of AUTONOMOUS_EN) {
    if (!name.endsWith(suffix)) continue
    const [core, peoples] = splitPeoples(name.slice(0, -suffix.length))
    if (peoples.length === 0) continue
    return join(core && placeWord(core, name, code), ...peoples.map((p) => PEOPLES_EN[p]), en)
  }
  for (const [suffix, en] of code.length === 4 ? CITY_SUFFIXES_EN : COUNTY_SUFFIXES_EN) {
    if (!name.endsWith(suffix) || name.length <= suffix.length) continue
    const core = name.slice(0, -suffix.length)
    // A new area named after its city: 沧州渤海新区 → Cangzhou Bohai New Area.
    const city = parentCore && core.startsWith(parentCore) && core.length - parentCore.length >= 2
    const words = city ? [parentCore, core.slice(parentCore.length)] : [core]
    return join(...words.map((word) => placeWord(word, name, code)), en)
  }
  return placeWord(name, name, code)
}

/** The English names, in the order of the compact division list, joined by `|`. */
export function englishDivisions() {
  const entries = compactDivisions()
    .split('|')
    .map((entry) => [entry.slice(0, entry.indexOf(' ')), entry.slice(entry.indexOf(' ') + 1)])
  // Division names without their suffix, longest first, to split a zone's place words.
  const cores = [
    ...new Set(
      entries
        .map(([, name]) =>
          name.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|地区|县|区)$/, ''),
        )
        .filter((core) => core.length >= 2),
    ),
  ].sort((a, b) => b.length - a.length)
  const byCode = new Map(entries)
  const coreOf = (name) =>
    name?.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|地区|盟)$/, '')
  for (const [code, name] of entries) if (code.length === 2) PROVINCE_CORES[code] = coreOf(name)
  return entries
    .map(([code, name]) =>
      englishName(
        code,
        name,
        cores,
        code.length === 6 ? coreOf(byCode.get(code.slice(0, 4))) : undefined,
      ),
    )
    .join('|')
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const version = createRequire(import.meta.url)('pinyin-pro/package.json').version
  const source = `// Generated by scripts/generate-regions-en.mjs (pinyin-pro ${version}) from divisions.data.ts. Do not edit.\nexport const DIVISIONS_EN_DATA =\n  ${JSON.stringify(englishDivisions())}\n`
  writeFileSync(new URL('../src/regions/divisions-en.data.ts', import.meta.url), source)
  console.log(`wrote src/regions/divisions-en.data.ts (${source.length} bytes)`)
}
