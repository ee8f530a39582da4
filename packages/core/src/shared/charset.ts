import iconv from 'iconv-lite'

/** The two charsets the legacy gateway speaks (`_input_charset`); the Open Platform uses UTF-8. */
export type AlipayCharset = 'utf-8' | 'gbk'

/** Normalises a charset label as Alipay and browsers write it (`UTF8`, `gb2312`, `GBK`) or returns undefined. */
export function normalizeCharset(label: string | undefined): AlipayCharset | undefined {
  if (label === undefined) return undefined
  const key = label.trim().toLowerCase().replace(/[_-]/g, '')
  if (key === 'utf8') return 'utf-8'
  if (key === 'gbk' || key === 'gb2312' || key === 'gb18030' || key === 'cp936') return 'gbk'
  return undefined
}

export function encodeText(text: string, charset: AlipayCharset): Buffer {
  return charset === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'gbk')
}

const UNRESERVED = /[A-Za-z0-9\-_.~*]/

/** Percent-encodes a value's bytes in the given charset (form encoding: space becomes `+`). */
export function percentEncode(text: string, charset: AlipayCharset): string {
  let out = ''
  for (const char of text) {
    if (UNRESERVED.test(char)) out += char
    else if (char === ' ') out += '+'
    else
      for (const byte of encodeText(char, charset))
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
