import { AlipayInputError } from './errors.js'

/** An amount in fen (分, 1/100 yuan), always a non-negative safe integer. Money never touches floats. */
export type Fen = number & { readonly __unit: 'fen' }

/** Alipay's ceiling for one trade: 100,000,000.00 yuan. */
export const MAX_TRADE_FEN = 10_000_000_000 as Fen

const YUAN_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/

/**
 * Parses a yuan amount as Alipay writes it (`"0.01"`, `"12.3"`, `"100"`) into integer fen.
 * Refuses what Alipay refuses: more than two decimals, exponents, signs, zero, spaces.
 *
 * @example parseYuan('12.30', 'total_fee') // 1230
 */
export function parseYuan(text: string, field = 'amount'): Fen {
  if (typeof text !== 'string' || !YUAN_PATTERN.test(text)) {
    throw new AlipayInputError(
      field,
      `must be a yuan amount like "0.01" or "128.50" (digits, at most two decimals, no sign or exponent); got ${JSON.stringify(text)}`,
    )
  }
  const [whole = '0', fraction = ''] = text.split('.')
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  if (fen <= 0)
    throw new AlipayInputError(field, `must be greater than 0; got ${JSON.stringify(text)}`)
  if (fen > MAX_TRADE_FEN) {
    throw new AlipayInputError(
      field,
      `must not exceed 100000000.00 yuan; got ${JSON.stringify(text)}`,
    )
  }
  return fen as Fen
}

/** Checks that a number is a usable amount in fen and brands it. */
export function toFen(value: number, field = 'amount'): Fen {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new AlipayInputError(field, `must be a whole, non-negative number of fen; got ${value}`)
  }
  return value as Fen
}

/** Formats fen as the yuan string Alipay expects: always two decimals. `formatYuan(1230) === '12.30'`. */
export function formatYuan(fen: number): string {
  const amount = toFen(fen)
  const text = String(amount).padStart(3, '0')
  return `${text.slice(0, -2)}.${text.slice(-2)}`
}

const SIGNED_YUAN_PATTERN = /^-?(0|[1-9]\d{0,8})(\.\d{1,2})?$/

/**
 * Parses a signed yuan amount (the legacy gateway's `discount`: negative for a reduction, `"0.00"`
 * for none) into integer fen, which may be zero or negative.
 *
 * @example parseSignedYuan('-5', 'discount') // -500
 */
export function parseSignedYuan(text: string, field = 'amount'): number {
  if (typeof text !== 'string' || !SIGNED_YUAN_PATTERN.test(text)) {
    throw new AlipayInputError(
      field,
      `must be a signed yuan amount like "-5.00" or "0.00" (at most two decimals, no exponent); got ${JSON.stringify(text)}`,
    )
  }
  const negative = text.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.')
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  return negative ? -fen : fen
}
