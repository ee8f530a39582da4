/** Faults the simulator can inject, globally or for one order (by out_trade_no). */
export interface Faults {
  /** Deliver each notification this many times, all at once (same notify_id). */
  readonly duplicates?: number
  /** Hold the order's notifications until released, then deliver them newest first. */
  readonly reorder?: boolean
  /** Wait this long (simulator time, ms) before the first try. */
  readonly delayMs?: number
  /** Never redirect the buyer back to return_url: the buyer closed the page. */
  readonly dropReturn?: boolean
  /** Corrupt the signature. */
  readonly badSignature?: boolean
  /** Sign a different amount than the order's (a yuan string). */
  readonly amount?: string
  /** Sign another seller's id. */
  readonly otherSeller?: boolean
  /** Encode (and sign) the notification in GBK. */
  readonly gbk?: boolean
  /** Add values with `+`, `%`, `&`, `=` and CJK (extra_common_param / passback_params). */
  readonly trickyValues?: boolean
}

export const FAULT_NAMES = [
  'duplicates',
  'reorder',
  'delayMs',
  'dropReturn',
  'badSignature',
  'amount',
  'otherSeller',
  'gbk',
  'trickyValues',
] as const

/** Checks an admin request's fault object, naming what is wrong. */
export function parseFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('faults must be an object')
  const faults = input as Record<string, unknown>
  for (const name of Object.keys(faults)) {
    if (!(FAULT_NAMES as readonly string[]).includes(name))
      throw new Error(`unknown fault "${name}"; known: ${FAULT_NAMES.join(', ')}`)
  }
  const count = (name: string) => {
    const value = faults[name]
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1e9)
      throw new Error(`${name} must be a whole number`)
    return value
  }
  const flag = (name: string) => {
    const value = faults[name]
    if (value !== undefined && typeof value !== 'boolean')
      throw new Error(`${name} must be true or false`)
    return value as boolean | undefined
  }
  const amount = faults.amount
  if (amount !== undefined && (typeof amount !== 'string' || !/^\d+(\.\d{1,2})?$/.test(amount)))
    throw new Error('amount must be a yuan string like "0.01"')
  const result: Record<string, unknown> = {
    duplicates: count('duplicates'),
    delayMs: count('delayMs'),
    reorder: flag('reorder'),
    dropReturn: flag('dropReturn'),
    badSignature: flag('badSignature'),
    otherSeller: flag('otherSeller'),
    gbk: flag('gbk'),
    trickyValues: flag('trickyValues'),
    amount,
  }
  return Object.fromEntries(Object.entries(result).filter(([, v]) => v !== undefined)) as Faults
}

/** The faults in force for an order: its own over the global ones. */
export function mergeFaults(global: Faults, own: Faults | undefined): Faults {
  return { ...global, ...own }
}
