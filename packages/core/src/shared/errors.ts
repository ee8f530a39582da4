/**
 * Thrown when a caller passes a value Alipay would refuse. The message names the field, the rule
 * it broke and what to do, so the mistake is fixed before a buyer ever sees Alipay's error page.
 */
export class AlipayInputError extends Error {
  override readonly name = 'AlipayInputError'
  constructor(
    /** The Alipay parameter (or config option) at fault, e.g. `out_trade_no`. */
    readonly field: string,
    /** The rule it broke, in words. */
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`)
  }
}

/** Thrown when a key or certificate cannot be read. */
export class AlipayKeyError extends Error {
  override readonly name = 'AlipayKeyError'
}
