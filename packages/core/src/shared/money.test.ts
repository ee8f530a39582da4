import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AlipayInputError } from './errors.js'
import { formatYuan, parseYuan, toFen } from './money.js'

describe('money', () => {
  it('parses yuan strings into integer fen exactly', () => {
    expect(parseYuan('0.01')).toBe(1)
    expect(parseYuan('12.3')).toBe(1230)
    expect(parseYuan('100')).toBe(10000)
    expect(parseYuan('0.29')).toBe(29) // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseYuan('100000000.00')).toBe(10_000_000_000)
  })

  it.each([
    '1.234',
    '0',
    '0.00',
    '-1',
    '1e3',
    ' 1',
    '1 ',
    '01',
    '.5',
    '1.',
    '',
    '100000000.01',
    'NaN',
    '１',
  ])('refuses %j and names the field', (text) => {
    expect(() => parseYuan(text, 'total_fee')).toThrow(AlipayInputError)
    expect(() => parseYuan(text, 'total_fee')).toThrow(/^total_fee: /)
  })

  it('formats fen with two decimals', () => {
    expect(formatYuan(1)).toBe('0.01')
    expect(formatYuan(1230)).toBe('12.30')
    expect(formatYuan(0)).toBe('0.00')
    expect(() => formatYuan(1.5)).toThrow(/whole, non-negative/)
    expect(() => toFen(-1)).toThrow(AlipayInputError)
  })

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), (fen) => {
        expect(parseYuan(formatYuan(fen))).toBe(fen)
      }),
    )
  })
})
