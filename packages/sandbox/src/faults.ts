import { AlipayKitError } from '@alipay-kit/core'

/*
 * The faults the simulator can inject, globally or for one order (by out_trade_no): the one list.
 * Each entry says what kind of value it takes and what it does; the Faults type, the admin API's
 * parser and FAULT_NAMES follow from it. Adding one is an entry here plus where it acts
 * (ARCHITECTURE.md, "Add a simulator fault").
 */
const FAULTS = {
  /** Deliver each notification this many times, all at once (same notify_id). */
  duplicates: 'count',
  /** Hold the order's notifications until released, then deliver them newest first. */
  reorder: 'flag',
  /** Wait this long (simulator time, ms) before the first try. */
  delayMs: 'count',
  /** Never redirect the buyer back to return_url: the buyer closed the page. */
  dropReturn: 'flag',
  /** Corrupt the signature. */
  badSignature: 'flag',
  /** Sign a different amount than the order's (a yuan string). */
  amount: 'yuan',
  /** Sign another seller's id. */
  otherSeller: 'flag',
  /** Encode (and sign) the notification in GBK. */
  gbk: 'flag',
  /** Add values with `+`, `%`, `&`, `=` and CJK (extra_common_param / passback_params). */
  trickyValues: 'flag',
  /**
   * Refuse the order's refunds with this result code (a legacy batch line, e.g.
   * TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH; an Open Platform refund's sub_code, e.g.
   * ACQ.SELLER_BALANCE_NOT_ENOUGH).
   */
  refundRefused: 'code',
  /** Write alipay.trade.query's amounts as JSON numbers, as its documented example does. */
  numericAmounts: 'flag',
  /** Never deliver the order's notifications: the merchant's server was down for Alipay's whole retry window. */
  dropNotifications: 'flag',
  /** Deliver the order's notifications only a minute after the trade's expiry. */
  notifyAfterExpiry: 'flag',
  /** Answer trade queries (alipay.trade.query, single_trade_query) this many real ms late: a slow Alipay. */
  queryDelayMs: 'count',
} as const satisfies Readonly<Record<string, FaultKind>>

type FaultKind = 'count' | 'flag' | 'yuan' | 'code'

type ValueOf<K extends FaultKind> = K extends 'count' ? number : K extends 'flag' ? boolean : string

/** Faults in force for an order or for all: any subset of FAULTS. */
export type Faults = { readonly [F in keyof typeof FAULTS]?: ValueOf<(typeof FAULTS)[F]> }

export const FAULT_NAMES = Object.keys(FAULTS) as ReadonlyArray<keyof typeof FAULTS>

/** Thrown for an admin request's fault object that does not fit; the message says which part. */
export class FaultError extends AlipayKitError {
  override readonly name = 'FaultError'
  constructor(message: string) {
    super('INVALID_INPUT', message)
  }
}

function checked(name: string, kind: FaultKind, value: unknown): unknown {
  switch (kind) {
    case 'count':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e9)
        throw new FaultError(`${name} must be a whole number`)
      return value
    case 'flag':
      if (typeof value !== 'boolean') throw new FaultError(`${name} must be true or false`)
      return value
    case 'yuan':
      if (typeof value !== 'string' || !/^\d+(\.\d{1,2})?$/.test(value))
        throw new FaultError(`${name} must be a yuan string like "0.01"`)
      return value
    case 'code':
      if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]{1,63}$/.test(value))
        throw new FaultError(`${name} must be an Alipay result code like "TRADE_STATUS_ERROR"`)
      return value
  }
}

/** Checks an admin request's fault object, naming what is wrong. */
export function parseFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new FaultError('faults must be an object')
  const faults: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(input)) {
    if (!Object.hasOwn(FAULTS, name))
      throw new FaultError(`unknown fault "${name}"; known: ${FAULT_NAMES.join(', ')}`)
    if (value === undefined) continue
    faults[name] = checked(name, FAULTS[name as keyof typeof FAULTS], value)
  }
  return faults as Faults
}

/** The faults in force for an order: its own over the global ones. */
export function mergeFaults(global: Faults, own: Faults | undefined): Faults {
  return { ...global, ...own }
}
