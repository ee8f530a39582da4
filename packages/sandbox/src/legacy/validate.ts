import { AlipayKitError } from '@alipay-kit/core'
/** The checks the legacy gateway makes on parameter values, each answering Alipay's error code. */

export class GatewayError extends AlipayKitError {
  override readonly name = 'GatewayError'
  constructor(
    code: string,
    readonly detail: string,
  ) {
    super(code, `${code}: ${detail}`)
  }
}

const AMOUNT = /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/

/** A yuan amount Alipay accepts; `allowZero` for logistics fees. */
export function checkAmount(value: string | undefined, name: string, allowZero = false): number {
  if (value === undefined || !AMOUNT.test(value))
    throw new GatewayError(
      'ILLEGAL_FEE_PARAM',
      `${name} "${value ?? ''}" is not a yuan amount with at most two decimals`,
    )
  const [whole = '0', fraction = ''] = value.split('.')
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'))
  if (fen === 0 && !allowZero)
    throw new GatewayError('ILLEGAL_FEE_PARAM', `${name} must be greater than 0`)
  if (fen > 10_000_000_000)
    throw new GatewayError('ILLEGAL_FEE_PARAM', `${name} exceeds 100000000.00`)
  return fen
}

/** notify_url / return_url / show_url: absolute http(s) without a query string. */
export function checkUrl(
  value: string | undefined,
  name: string,
  required: boolean,
): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw new GatewayError('ILLEGAL_ARGUMENT', `${name} is required`)
    return undefined
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new GatewayError('ILLEGAL_ARGUMENT', `${name} "${value}" is not an absolute URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new GatewayError('ILLEGAL_ARGUMENT', `${name} must be http or https`)
  if (value.includes('?'))
    throw new GatewayError('ILLEGAL_ARGUMENT', `${name} must not carry its own query string`)
  return value
}

export function checkText(value: string | undefined, name: string, max: number): string {
  if (value === undefined || value === '')
    throw new GatewayError('ILLEGAL_ARGUMENT', `${name} is required`)
  if ([...value].length > max)
    throw new GatewayError('ILLEGAL_ARGUMENT', `${name} is longer than ${max} characters`)
  return value
}

export function checkOutTradeNo(value: string | undefined): string {
  if (value === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(value))
    throw new GatewayError(
      'ILLEGAL_ARGUMENT',
      `out_trade_no "${value ?? ''}" must be 1–64 letters, digits, _ or -`,
    )
  return value
}
