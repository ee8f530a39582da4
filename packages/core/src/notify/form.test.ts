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
