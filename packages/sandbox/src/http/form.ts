import iconv from 'iconv-lite'

/*
 * The simulator decodes requests with its own code (a byte loop + iconv-lite), not the core's
 * parser, so that a bug in one is caught by the other.
 */

export type Charset = 'utf-8' | 'gbk'

/** Reads a charset label as Alipay accepts it. */
export function charsetOf(label: string | undefined, fallback: Charset): Charset | undefined {
  if (label === undefined || label === '') return fallback
  const key = label.toLowerCase().replace(/[-_]/g, '')
  if (key === 'utf8') return 'utf-8'
  if (key === 'gbk' || key === 'gb2312') return 'gbk'
  return undefined
}

/** The raw `name=value` pairs of a form or query string, still percent-encoded. */
export function rawPairs(text: string): Array<[string, string]> {
  return text
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=')
      return at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)]
    })
}

/** Percent-escapes to bytes; anything else is taken as its own byte (the input is ASCII or latin1). */
function unescapeBytes(raw: string): Buffer {
  const out: number[] = []
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string
    const hex = char === '%' ? raw.slice(i + 1, i + 3) : ''
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(Number.parseInt(hex, 16))
      i += 2
    } else out.push(char === '+' ? 0x20 : char.charCodeAt(0) & 0xff)
  }
  return Buffer.from(out)
}

/** Decodes one percent-encoded value in `charset`; `+` is a space. */
export function decodeValue(raw: string, charset: Charset): string {
  const bytes = unescapeBytes(raw)
  return iconv.decode(bytes, charset === 'utf-8' ? 'utf8' : 'gbk')
}

/** Finds a parameter's raw value by name without decoding the others (to learn the charset first). */
export function peekRaw(pairs: ReadonlyArray<[string, string]>, name: string): string | undefined {
  return pairs.find(([key]) => key === name)?.[1]
}

/** Decodes pairs into a map; a name given twice with different values is an error (returns the name). */
export function decodePairs(
  pairs: ReadonlyArray<[string, string]>,
  charset: Charset,
): Map<string, string> | string {
  const out = new Map<string, string>()
  for (const [rawName, rawValue] of pairs) {
    const name = decodeValue(rawName, charset)
    const value = decodeValue(rawValue, charset)
    const existing = out.get(name)
    if (existing !== undefined && existing !== value) return name
    out.set(name, value)
  }
  return out
}

/** Percent-encodes a value's bytes in `charset` (form style: space as `+`). */
export function encodeValue(value: string, charset: Charset): string {
  const bytes = iconv.encode(value, charset === 'utf-8' ? 'utf8' : 'gbk')
  let out = ''
  for (const byte of bytes) {
    const char = String.fromCharCode(byte)
    if (/[A-Za-z0-9\-_.*]/.test(char)) out += char
    else if (byte === 0x20) out += '+'
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** Encodes a parameter map as a form body in `charset`. */
export function encodeForm(
  params: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
  charset: Charset,
): string {
  const entries = params instanceof Map ? [...params] : Object.entries(params)
  return entries
    .map(([name, value]) => `${encodeValue(name, charset)}=${encodeValue(value, charset)}`)
    .join('&')
}
