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
const AMPERSAND = 0x26
const EQUALS = 0x3d
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

/** A name or value: where it stands, and whether it needs more than a plain ASCII read. */
interface Span {
  readonly start: number
  readonly end: number
  readonly plain: boolean
}

const BROKEN_ESCAPE = Symbol('broken escape')
const WRONG_CHARSET = Symbol('wrong charset')
type Decoded = string | typeof BROKEN_ESCAPE | typeof WRONG_CHARSET

/** Form-decodes a span once, at the byte level: `+` is a space, `%2B` a plus, `%25` a percent sign. */
function decodeSpan(body: Buffer, span: Span, charset: AlipayCharset): Decoded {
  // ASCII without escapes reads the same in UTF-8 and GBK: the common case, with no copy.
  if (span.plain) return body.toString('latin1', span.start, span.end)
  const out = Buffer.allocUnsafe(span.end - span.start)
  let length = 0
  for (let i = span.start; i < span.end; i++) {
    const byte = body[i] as number
    if (byte === PLUS) out[length++] = 0x20
    else if (byte === PERCENT) {
      const high = hexValue(body[i + 1])
      const low = hexValue(body[i + 2])
      if (high < 0 || low < 0 || i + 2 >= span.end) return BROKEN_ESCAPE
      out[length++] = high * 16 + low
      i += 2
    } else out[length++] = byte
  }
  const bytes = out.subarray(0, length)
  if (charset === 'utf-8') {
    try {
      return utf8.decode(bytes)
    } catch {
      return WRONG_CHARSET
    }
  }
  const text = iconv.decode(bytes, 'gbk')
  return text.includes('\uFFFD') ? WRONG_CHARSET : text
}

function contentTypeOf(header: string | undefined): { type: string; charset: string | undefined } {
  const [type = '', ...rest] = (header ?? '').split(';')
  const charset = rest
    .map((part) => part.trim())
    .find((part) => part.toLowerCase().startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
  return { type: type.trim().toLowerCase(), charset }
}

/** Splits the body into name/value spans without copying. */
function spansOf(body: Buffer): Array<[Span, Span]> {
  const pairs: Array<[Span, Span]> = []
  let start = 0
  let equals = -1
  let plain = true
  let namePlain = true
  for (let i = 0; i <= body.length; i++) {
    const byte = i < body.length ? (body[i] as number) : AMPERSAND
    if (byte === AMPERSAND) {
      if (i > start) {
        const nameEnd = equals < 0 ? i : equals
        pairs.push([
          { start, end: nameEnd, plain: equals < 0 ? plain : namePlain },
          { start: equals < 0 ? i : equals + 1, end: i, plain },
        ])
      }
      start = i + 1
      equals = -1
      plain = true
      namePlain = true
    } else if (byte === EQUALS && equals < 0) {
      equals = i
      namePlain = plain
      plain = true
    } else if (byte === PLUS || byte === PERCENT || byte >= 0x80) plain = false
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
  const pairs = spansOf(body)

  // The charset field's name and value are ASCII, so they can be read before the charset is known.
  let label = header.charset
  for (const [name, value] of pairs) {
    const key = body.toString('latin1', name.start, name.end)
    if (key === 'charset' || key === '_input_charset') {
      const declared = decodeSpan(body, value, 'utf-8')
      label = typeof declared === 'string' ? declared : ''
    }
  }
  const charset = label === undefined ? fallback : normalizeCharset(label)
  if (!charset)
    return { ok: false, reason: `Unsupported charset "${label}"; Alipay sends utf-8 or gbk` }

  const params: Record<string, string> = Object.create(null)
  for (const [nameSpan, valueSpan] of pairs) {
    const name = decodeSpan(body, nameSpan, charset)
    const value = decodeSpan(body, valueSpan, charset)
    if (typeof name !== 'string' || typeof value !== 'string') {
      const raw = body.toString(
        'latin1',
        nameSpan.start,
        Math.min(valueSpan.end, nameSpan.start + 40),
      )
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
  if (Object.keys(params).length === 0)
    return { ok: false, reason: 'The body holds no form fields' }
  return { ok: true, params, charset }
}
