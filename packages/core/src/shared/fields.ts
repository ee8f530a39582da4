import { z } from 'zod'
import { AlipayInputError } from './errors.js'
import { parseYuan } from './money.js'

/**
 * Field rules shared by the request builders. Each rule's message says what Alipay accepts, so
 * the error that reaches a developer reads like the fix.
 */

/** notify_url / return_url / show_url: absolute http(s), and no query string of its own (docs/protocol.md, "Request rules"). */
export const callbackUrl = z.string().superRefine((value, ctx) => {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `must be an absolute http(s) URL such as "https://shop.example/alipay/notify"; got ${JSON.stringify(value)}`,
    })
    return
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({
      code: 'custom',
      message: `must use http or https; got ${JSON.stringify(value)}`,
    })
  } else if (url.search !== '' || value.includes('?')) {
    ctx.addIssue({
      code: 'custom',
      message: `must not carry a query string of its own (Alipay drops or mis-signs it); move "${url.search}" into the path or into extra_common_param`,
    })
  } else if (url.hash !== '') {
    ctx.addIssue({
      code: 'custom',
      message: `must not contain a #fragment; got ${JSON.stringify(value)}`,
    })
  }
})

/** out_trade_no: the merchant's own order number, unique per order, never a constant (docs/protocol.md, "Request rules"). */
export const outTradeNo = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
  message: 'must be 1–64 letters, digits, "_" or "-", unique for every order (never a constant)',
})

/** A positive yuan amount with at most two decimals. */
export const yuan = z.string().superRefine((value, ctx) => {
  try {
    parseYuan(value)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as AlipayInputError).rule })
  }
})

/** A yuan amount that may be zero (logistics fees). */
export const yuanOrZero = z.string().superRefine((value, ctx) => {
  if (/^0(\.0{1,2})?$/.test(value)) return
  try {
    parseYuan(value)
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: (error as AlipayInputError).rule.replace('greater than 0', 'at least 0'),
    })
  }
})

/** A whole number of items, 1 to 999999. */
export const quantity = z.string().regex(/^[1-9]\d{0,5}$/, {
  message: 'must be a whole number from 1 to 999999, written as a string',
})

function hasControlCharacter(value: string): boolean {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x20 || code === 0x7f) return true
  }
  return false
}

/** Free text Alipay shows the buyer: no control characters, bounded length. */
export function text(max: number) {
  return z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((value) => !hasControlCharacter(value), {
      message: 'must not contain control characters or line breaks',
    })
}

export const optionalText = (max: number) => text(max).optional()

/**
 * Runs a schema and turns the first failure into an AlipayInputError naming the Alipay field,
 * e.g. `notify_url: must not carry a query string of its own ...`.
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: string,
): z.output<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : where
  let rule = issue?.message ?? 'is invalid'
  if (issue?.code === 'invalid_type') rule = `is required (${issue.message})`
  if (issue?.code === 'unrecognized_keys') {
    rule = `unknown parameter(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; Alipay's parameter names are snake_case (e.g. notify_url), pass others in "extra"`
  }
  throw new AlipayInputError(field, rule)
}
