import { describe, expect, it } from 'vitest'
import { ExpiringIds } from './expiring-ids.js'

describe('ExpiringIds', () => {
  it('answers valid only for an issued id before its expiry', () => {
    let now = 1_000
    const ids = new ExpiringIds(() => now)
    ids.add('a', 2_000)
    expect(ids.isValid('a')).toBe(true)
    expect(ids.isValid('b')).toBe(false)
    expect(ids.isValid(undefined)).toBe(false)
    now = 2_000
    expect(ids.isValid('a')).toBe(true) // valid up to and including its expiry
    now = 2_001
    expect(ids.isValid('a')).toBe(false)
  })

  it('drops expired ids as new ones arrive, and keeps the live ones', () => {
    let now = 0
    const ids = new ExpiringIds(() => now)
    const batch = ExpiringIds.MIN_SWEEP_SIZE
    for (let i = 0; i < batch - 1; i++) ids.add(`old${i}`, 100)
    ids.add('live', 10_000)
    now = 200 // every "old" id has expired; the next additions sweep them out
    for (let i = 0; i < batch; i++) ids.add(`new${i}`, 10_000)
    expect(ids.size).toBeLessThan(batch * 2)
    expect(ids.isValid('live')).toBe(true)
    expect(ids.isValid('new0')).toBe(true)
    expect(ids.entries().some(([id]) => id.startsWith('old'))).toBe(false)
  })
})
