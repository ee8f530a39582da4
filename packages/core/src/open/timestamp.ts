/** China Standard Time is UTC+8 all year (no daylight saving since 1991), so an offset is exact. */
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000

/**
 * Formats an instant as `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai, as the Open Platform's `timestamp`
 * wants it, whatever the server's own time zone (servers in UTC otherwise get isv.invalid-timestamp).
 */
export function chinaTimestamp(date: Date = new Date()): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')
}

/** Parses a China-time `yyyy-MM-dd HH:mm:ss` back into an instant; undefined when malformed. */
export function parseChinaTimestamp(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - CHINA_OFFSET_MS
  const date = new Date(utc)
  return chinaTimestamp(date) === text ? date : undefined
}
