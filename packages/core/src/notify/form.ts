import iconv from 'iconv-lite'
import { type AlipayCharset, normalizeCharset } from '../shared/charset.js'

export type FormParseResult =
  | {
      readonly ok: true
      readonly params: Readonly<Record<string, string>>
      readonly charset: AlipayCharset
    }
  | { readonly ok: false; readonly reason: string }

const ACCEPTED_TYPES = ['application/x-www-form-urlencoded', 'text/plain', '']
const PLUS = 0x2b
const PERCENT = 0x25

/** One fatal decoder, reused: a GBK body declared UTF-8 must fail, not turn into U+FFFD. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57
  return -1
}

const BROKEN_ESCAPE = Symbol('broken escape')
const WRONG_CHARSET = Symbol('wrong charset')
type Decoded = string | typeof BROKEN_ESCAPE | typeof WRONG_CHARSET

/** A raw byte above 0x7f (as a latin1 char): looked for once per body, then per part only if found. */
const RAW_HIGH_BYTE = /[\u0080-\u00ff]/

/**
 * Form-decodes a name or value once. `raw` holds the body's bytes one char per byte (latin1), so
 * plain ASCII, by far the most common, is used as it is. UTF-8 with escapes goes through the
 * engine's own decodeURIComponent, which refuses broken escapes and invalid UTF-8 as we do; when
 * it refuses, or for GBK or raw non-ASCII bytes, the byte-level decoder below says why.
 */
function decodePart(raw: string, charset: AlipayCharset, highBytes: boolean): Decoded {
  if (highBytes && RAW_HIGH_BYTE.test(raw)) return decodeBytes(Buffer.from(raw, 'latin1'), charset)
  // includes, not a regular expression: fifty parts a body, and a regex call costs more than a scan.
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw
  if (!spaced.includes('%')) return spaced
  // Escapes of ASCII (%2F in a signature, %3A in a time) read the same in UTF-8 and GBK.
  const ascii = asciiEscapes(spaced)
  if (ascii !== undefined) return ascii
  if (charset === 'utf-8') {
    try {
      return decodeURIComponent(spaced)
    } catch {
      // fall through: the byte-level decoder tells a broken escape from a wrong charset
    }
  }
  return decodeBytes(Buffer.from(raw, 'latin1'), charset)
}

function hexCode(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  if (code >= 0x41 && code <= 0x46) return code - 0x37
  if (code >= 0x61 && code <= 0x66) return code - 0x57
  return -1
}

/** Decodes %XX escapes when every one is of an ASCII character; undefined when one is not (or is broken). */
function asciiEscapes(text: string): string | undefined {
  let out = ''
  let last = 0
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', last)) {
    const high = hexCode(text.charCodeAt(at + 1))
    const low = hexCode(text.charCodeAt(at + 2))
    if (high < 0 || high > 7 || low < 0) return undefined
    out += text.slice(last, at) + String.fromCharCode(high * 16 + low)
    last = at + 3
  }
  return last === 0 ? text : out + text.slice(last)
}

/** Form-decodes bytes: `+` is a space, `%2B` a plus, `%25` a percent sign; then the charset. */
function decodeBytes(bytes: Buffer, charset: AlipayCharset): Decoded {
  const out = Buffer.allocUnsafe(bytes.length)
  let length = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number
    if (byte === PLUS) out[length++] = 0x20
    else if (byte === PERCENT) {
      const high = hexValue(bytes[i + 1])
      const low = hexValue(bytes[i + 2])
      if (high < 0 || low < 0) return BROKEN_ESCAPE
      out[length++] = high * 16 + low
      i += 2
    } else out[length++] = byte
  }
  const decoded = out.subarray(0, length)
  if (charset === 'utf-8') {
    try {
      return utf8.decode(decoded)
    } catch {
      return WRONG_CHARSET
    }
  }
  const text = iconv.decode(decoded, 'gbk')
  return text.includes('\uFFFD') ? WRONG_CHARSET : text
}

let lastHeader: string | undefined
let lastContentType = { type: '', charset: undefined as string | undefined }

/** The type and charset of a Content-Type header; the last one is kept, since Alipay sends one. */
function contentTypeOf(header: string | undefined): { type: string; charset: string | undefined } {
  if (header !== undefined && header === lastHeader) return lastContentType
  lastContentType = parseContentType(header)
  lastHeader = header
  return lastContentType
}

function parseContentType(header: string | undefined): {
  type: string
  charset: string | undefined
} {
  const [type = '', ...rest] = (header ?? '').split(';')
  const charset = rest
    .map((part) => part.trim())
    .find((part) => part.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
  return { type: type.trim().toLowerCase(), charset }
}

/** The body's `name=value` pairs, still encoded, each byte one latin1 char: nothing decoded yet. */
function pairsOf(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const part of text.split('&')) {
    if (part === '') continue
    const equals = part.indexOf('=')
    pairs.push(equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)])
  }
  return pairs
}

/**
 * Parses a notification body from its raw bytes, the way Alipay sends it: form-encoded, decoded
 * exactly once, in the charset the notification itself names (`charset` or `_input_charset`,
 * GBK included), else the Content-Type's, else `fallback` (the shop's configured
 * `_input_charset`, as Alipay's demo code reads its notifications), values never trimmed.
 * Refuses what cannot be read unambiguously: repeated fields, broken percent-escapes, bytes
 * invalid in the charset.
 */
export function parseNotificationBody(
  input: Uint8Array,
  contentType?: string,
  fallback: AlipayCharset = 'utf-8',
): FormParseResult {
  const header = contentTypeOf(contentType)
  if (!ACCEPTED_TYPES.includes(header.type)) {
    return {
      ok: false,
      reason: `Content-Type "${header.type}" is not a form; Alipay posts application/x-www-form-urlencoded`,
    }
  }
  if (input.length === 0)
    return { ok: false, reason: 'The body is empty; a notification carries form fields' }
  const body = Buffer.isBuffer(input)
    ? input
    : Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  // latin1 maps each byte to one char and back: splitting the string splits the bytes.
  const text = body.toString('latin1')
  const highBytes = RAW_HIGH_BYTE.test(text)
  const pairs = pairsOf(text)

  // The charset field's name and value are ASCII, so they can be read before the charset is known.
  let label = header.charset
  for (const [name, value] of pairs) {
    if (name === 'charset' || name === '_input_charset') {
      const declared = decodePart(value, 'utf-8', highBytes)
      label = typeof declared === 'string' ? declared : ''
    }
  }
  const charset = label === undefined ? fallback : normalizeCharset(label)
  if (!charset)
    return { ok: false, reason: `Unsupported charset "${label}"; Alipay sends utf-8 or gbk` }

  const params: Record<string, string> = Object.create(null)
  for (const [rawName, rawValue] of pairs) {
    const name = decodePart(rawName, charset, highBytes)
    const value = decodePart(rawValue, charset, highBytes)
    if (typeof name !== 'string' || typeof value !== 'string') {
      const raw = `${rawName}=${rawValue}`.slice(0, 40)
      if (name === BROKEN_ESCAPE || value === BROKEN_ESCAPE)
        return { ok: false, reason: `Broken percent-encoding near "${raw}"` }
      const field = typeof name === 'string' ? name : raw
      return {
        ok: false,
        reason: `Field "${field}" is not valid ${charset}; was the body sent in another charset than it declares?`,
      }
    }
    if (Object.hasOwn(params, name))
      return { ok: false, reason: `Field "${name}" appears more than once` }
    params[name] = value
  }
  if (pairs.length === 0) return { ok: false, reason: 'The body holds no form fields' }
  return { ok: true, params, charset }
}
