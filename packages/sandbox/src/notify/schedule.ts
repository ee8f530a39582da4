const MINUTE = 60_000
const HOUR = 60 * MINUTE

/**
 * When Alipay tries a notification, counted from the previous try: at once, then 4m, 10m, 10m,
 * 1h, 2h, 6h, 15h: 8 tries in about 25 hours, until the merchant answers exactly `success`.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  0,
  4 * MINUTE,
  10 * MINUTE,
  10 * MINUTE,
  HOUR,
  2 * HOUR,
  6 * HOUR,
  15 * HOUR,
]

/** A notify_id stays valid for notify_verify through the whole retry window, and a day beyond. */
export const SERVER_NOTIFY_ID_TTL_MS = 49 * HOUR

/** A return redirect's notify_id is valid for about a minute (docs/protocol.md, "Notifications"). */
export const RETURN_NOTIFY_ID_TTL_MS = MINUTE

/** Quick-login tokens last 30 minutes; Alipay's own login state 10 (docs/protocol.md, "Quick login"). */
export const TOKEN_TTL_MS = 30 * MINUTE
export const LOGIN_STATE_TTL_MS = 10 * MINUTE

/** Anti-phishing keys from query_timestamp are good for one minute. */
export const ANTI_PHISHING_TTL_MS = MINUTE

/** The Open Platform refuses a request whose timestamp is further than this from its own clock. */
export const TIMESTAMP_TOLERANCE_MS = 15 * MINUTE
