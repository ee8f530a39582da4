import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { parseNotificationBody } from './form.js'

const body = (text: string) => Buffer.from(text, 'latin1')

describe('parseNotificationBody', () => {
  it('decodes exactly once: %2B is a plus, + a space, %25 a percent', () => {
    const result = parseNotificationBody(
      body('sign=ab%2Bcd%2F%3D&subject=a+b&passback_params=x%252By'),
      'application/x-www-form-urlencoded',
    )
    expect(result).toMatchObject({
      ok: true,
      params: { sign: 'ab+cd/=', subject: 'a b', passback_params: 'x%2By' },
    })
  })

  it('never trims values', () => {
    const result = parseNotificationBody(body('body=%20padded%20&subject=x'))
    expect(result.ok && result.params.body).toBe(' padded ')
  })

  it('reads GBK when the notification says so, whatever the Content-Type claims', () => {
    const encoded = [...iconv.encode('龙井茶', 'gbk')]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('')
    const result = parseNotificationBody(
      body(`_input_charset=gbk&subject=${encoded}`),
      'application/x-www-form-urlencoded; charset=utf-8',
    )
    expect(result).toMatchObject({ ok: true, charset: 'gbk', params: { subject: '龙井茶' } })
  })

  it('falls back to the Content-Type charset, then UTF-8', () => {
    const gbk = [...iconv.encode('茶', 'gbk')].map((b) => `%${b.toString(16)}`).join('')
    expect(
      parseNotificationBody(
        body(`subject=${gbk}`),
        'application/x-www-form-urlencoded; charset=GBK',
      ),
    ).toMatchObject({ ok: true, params: { subject: '茶' } })
    expect(parseNotificationBody(body('subject=%E8%8C%B6'))).toMatchObject({
      ok: true,
      charset: 'utf-8',
      params: { subject: '茶' },
    })
  })

  it('accepts the Content-Types Alipay and proxies use, and no Content-Type at all', () => {
    for (const type of [
      undefined,
      '',
      'text/plain',
      'application/x-www-form-urlencoded;charset=utf-8',
      'APPLICATION/X-WWW-FORM-URLENCODED',
    ]) {
      expect(parseNotificationBody(body('a=1'), type).ok).toBe(true)
    }
  })

  it.each([
    ['a JSON body', 'a=1', 'application/json', /not a form/],
    ['multipart', 'a=1', 'multipart/form-data; boundary=x', /not a form/],
    ['an empty body', '', undefined, /empty/],
    ['a broken escape', 'a=%zz', undefined, /Broken percent-encoding/],
    ['a truncated escape', 'a=%E8%8C%', undefined, /Broken percent-encoding/],
    ['a repeated field', 'a=1&a=2', undefined, /appears more than once/],
    ['GBK bytes declared UTF-8', 'charset=utf-8&subject=%B2%E8', undefined, /not valid utf-8/],
    ['an unknown charset', 'charset=latin1&a=1', undefined, /Unsupported charset/],
    ['only separators', '&&&', undefined, /no form fields/],
  ])('refuses %s with a reason', (_label, text, type, reason) => {
    const result = parseNotificationBody(body(text), type)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(reason)
  })

  it('keeps prototype-pollution keys as plain data', () => {
    const result = parseNotificationBody(body('__proto__=x&constructor=y&a=1'))
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(Object.getOwnPropertyDescriptor(result.params, '__proto__')?.value).toBe('x')
      expect(({} as Record<string, unknown>).x).toBeUndefined()
      expect(Object.getPrototypeOf(result.params)).toBeNull()
    }
  })
})

describe('parseNotificationBody against an independent encoder (seeded, 2,000 bodies)', () => {
  // A small deterministic generator: the same bodies every run.
  let seed = 20261202
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
  const ALPHABET = [
    ...'abcXYZ019 +%&=/:@,."[]{}~-_*',
    '龙',
    '井',
    '语',
    '雀',
    'é',
    '€',
    '𝄞',
    '\u00a0',
  ]
  const text = (max: number) =>
    Array.from(
      { length: Math.floor(next() * max) },
      () => ALPHABET[Math.floor(next() * ALPHABET.length)],
    ).join('')
  const fieldsOf = () => {
    const fields: Record<string, string> = {}
    const count = 1 + Math.floor(next() * 12)
    for (let i = 0; i < count; i++) fields[`f${i}_${text(4).replace(/[^a-z]/g, '')}`] = text(40)
    return fields
  }
  /** GBK form-encoding, as Alipay's GBK gateway sends it: every byte outside [A-Za-z0-9*-._] escaped. */
  const gbkForm = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([name, value]) =>
        [name, value]
          .map((part) =>
            [...iconv.encode(part, 'gbk')]
              .map((byte) =>
                /[A-Za-z0-9*\-._]/.test(String.fromCharCode(byte))
                  ? String.fromCharCode(byte)
                  : byte === 0x20
                    ? '+'
                    : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
              )
              .join(''),
          )
          .join('='),
      )
      .join('&')

  it('reads back what URLSearchParams encoded in UTF-8', () => {
    for (let i = 0; i < 1000; i++) {
      const fields = fieldsOf()
      const result = parseNotificationBody(
        Buffer.from(new URLSearchParams(fields).toString()),
        'application/x-www-form-urlencoded; charset=utf-8',
      )
      expect(result.ok && { ...result.params }).toEqual(fields)
    }
  })

  it('reads back GBK bodies (characters GBK has)', () => {
    for (let i = 0; i < 1000; i++) {
      const fields = Object.fromEntries(
        Object.entries(fieldsOf()).map(([k, v]) => [k, v.replace(/[€𝄞é\u00a0]/gu, '')]),
      )
      const result = parseNotificationBody(
        Buffer.from(gbkForm({ ...fields, charset: 'gbk' }), 'latin1'),
        'application/x-www-form-urlencoded',
      )
      expect(result.ok && { ...result.params }).toEqual({ ...fields, charset: 'gbk' })
    }
  })
})
