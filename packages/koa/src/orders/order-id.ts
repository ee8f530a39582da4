import { randomBytes } from 'node:crypto'

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/**
 * A new out_trade_no: `AK`, the China date, and 12 random characters (60 bits). Unique without a
 * round trip, never a constant (docs/protocol.md, "Request rules"), and readable on the phone to
 * customer service.
 */
export function newOrderId(now = new Date()): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
  const random = [...randomBytes(12)].map((byte) => ALPHABET[byte % 32]).join('')
  return `AK${day}${random}`
}
