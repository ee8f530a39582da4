/*
 * One error family for every package of the kit: each error the kit throws is an AlipayKitError
 * with a stable `code`, so callers branch on `error.code` (or `instanceof`), never on a message.
 * The message says, in words, what is wrong and what to do. ARCHITECTURE.md lists the codes.
 */

/** The codes the kit's own errors carry; Alipay's codes (ILLEGAL_SIGN, ACQ.…) travel as strings too. */
export type AlipayKitErrorCode =
  /** An option or environment variable is missing or malformed: fix the configuration and restart. */
  | 'INVALID_CONFIG'
  /** A value passed to a builder or an API breaks Alipay's rules (`field` names it). */
  | 'INVALID_INPUT'
  /** A key or certificate cannot be read. */
  | 'INVALID_KEY'
  /** A gateway answer is unsigned, wrongly signed or not an Alipay answer at all. */
  | 'UNTRUSTED_ANSWER'
  /** Alipay could not be reached (network, timeout). */
  | 'GATEWAY_UNREACHABLE'
  /** The store (PGlite or PostgreSQL) cannot be reached or is shutting down. */
  | 'STORE_UNAVAILABLE'
  /** An order kept changing under concurrent writers; nothing was written, try again. */
  | 'STORE_CONFLICT'
  /** A bill file from Alipay cannot be read (truncated, columns missing): nothing was matched; download it again. */
  | 'BILL_MALFORMED'
  /** A component or function was used outside what it needs (a provider, a started kit). */
  | 'MISUSE'

/** The base of every error the kit throws: a stable code, a message that says what to do. */
export class AlipayKitError extends Error {
  override readonly name: string = 'AlipayKitError'
  constructor(
    /** Stable: one of {@link AlipayKitErrorCode}, or Alipay's own code for a refusal. */
    readonly code: AlipayKitErrorCode | (string & {}),
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * Thrown when a caller passes a value Alipay would refuse. The message names the field, the rule
 * it broke and what to do, so the mistake is fixed before a buyer ever sees Alipay's error page.
 */
export class AlipayInputError extends AlipayKitError {
  override readonly name: string = 'AlipayInputError'
  constructor(
    /** The Alipay parameter (or config option) at fault, e.g. `out_trade_no`. */
    readonly field: string,
    /** The rule it broke, in words. */
    readonly rule: string,
  ) {
    super('INVALID_INPUT', `${field}: ${rule}`)
  }
}

/** Thrown at start-up for an option that is missing or malformed; `option` names it. */
export class AlipayConfigError extends AlipayKitError {
  override readonly name: string = 'AlipayConfigError'
  constructor(
    /** The option or environment variable at fault, e.g. `publicUrl` or `PUBLIC_URL`. */
    readonly option: string | undefined,
    message: string,
  ) {
    super('INVALID_CONFIG', message)
  }
}

/** Thrown when a key or certificate cannot be read. */
export class AlipayKeyError extends AlipayKitError {
  override readonly name: string = 'AlipayKeyError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_KEY', message, options)
  }
}

/** Thrown when a gateway answer cannot be trusted: bad or missing signature, or not an Alipay answer. */
export class AlipayResponseError extends AlipayKitError {
  override readonly name: string = 'AlipayResponseError'
  constructor(message: string) {
    super('UNTRUSTED_ANSWER', message)
  }
}

/**
 * A call to Alipay that Alipay refused (`code` is Alipay's: ILLEGAL_SIGN, ACQ.TRADE_HAS_SUCCESS…)
 * or that could not be made (GATEWAY_UNREACHABLE).
 */
export class AlipayGatewayError extends AlipayKitError {
  override readonly name: string = 'AlipayGatewayError'
}

/** The store cannot be reached; the request may be retried later, nothing was written. */
export class StoreUnavailableError extends AlipayKitError {
  override readonly name: string = 'StoreUnavailableError'
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options)
  }
}

/** Whether `error` is one of the kit's, optionally with the given code. */
export function isAlipayKitError(error: unknown, code?: string): error is AlipayKitError {
  return error instanceof AlipayKitError && (code === undefined || error.code === code)
}
