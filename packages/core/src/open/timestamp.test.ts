import { afterEach, describe, expect, it } from 'vitest'
import { chinaTimestamp, parseChinaTimestamp } from './timestamp.js'

const originalZone = process.env.TZ

describe('China-time timestamps', () => {
  afterEach(() => {
    if (originalZone === undefined) delete process.env.TZ
    else process.env.TZ = originalZone
  })

  it('writes an instant in Asia/Shanghai', () => {
    expect(chinaTimestamp(new Date('2026-11-24T16:30:05Z'))).toBe('2026-11-25 00:30:05')
    expect(parseChinaTimestamp('2026-11-25 00:30:05')?.toISOString()).toBe(
      '2026-11-24T16:30:05.000Z',
    )
    expect(parseChinaTimestamp('2026-02-30 00:00:00')).toBeUndefined()
    expect(parseChinaTimestamp('2026-11-25T00:30:05')).toBeUndefined()
  })

  it.each([
    ['UTC', 0],
    ['America/Los_Angeles', 480],
    ['Asia/Kolkata', -330],
    ['Asia/Shanghai', -480],
  ])('is the same when the server runs in %s', (zone, offsetMinutes) => {
    const instant = new Date(Date.UTC(2026, 10, 24, 16, 30, 5))
    process.env.TZ = zone // Node applies a changed TZ at once
    expect(instant.getTimezoneOffset()).toBe(offsetMinutes)
    expect(chinaTimestamp(instant)).toBe('2026-11-25 00:30:05')
    // Intl, an independent formatter, agrees.
    expect(instant.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' })).toBe(
      '2026-11-25 00:30:05',
    )
  })
})
