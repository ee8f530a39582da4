import { isAlipayKitError } from '@alipay-kit/core'
import { describe, expect, it } from 'vitest'
import { FAULT_NAMES, parseFaults } from './faults.js'

/* ARCHITECTURE.md, "Add a simulator fault": one list, and the admin API's parser follows it. */

const VALID: Record<(typeof FAULT_NAMES)[number], unknown> = {
  duplicates: 3,
  reorder: true,
  delayMs: 1_000,
  dropReturn: true,
  badSignature: true,
  amount: '0.01',
  otherSeller: true,
  gbk: true,
  trickyValues: true,
  refundRefused: 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH',
  numericAmounts: true,
  dropNotifications: true,
  notifyAfterExpiry: true,
  queryDelayMs: 50,
}

describe('faults', () => {
  it('accepts every fault of the list with a value of its kind', () => {
    expect(parseFaults(VALID)).toEqual(VALID)
    expect(FAULT_NAMES).toEqual(Object.keys(VALID))
  })

  it.each(FAULT_NAMES.map((name) => [name] as const))(
    'refuses %s with a value of another kind, naming it',
    (name) => {
      const wrong =
        typeof VALID[name] === 'boolean' ? 'yes' : typeof VALID[name] === 'number' ? -1 : 12
      let error: unknown
      try {
        parseFaults({ [name]: wrong })
      } catch (caught) {
        error = caught
      }
      expect(isAlipayKitError(error, 'INVALID_INPUT')).toBe(true)
      expect((error as Error).message.startsWith(`${name} must be`)).toBe(true)
    },
  )

  it('refuses an unknown fault, listing the known ones', () => {
    expect(() => parseFaults({ slowDns: true })).toThrow(
      `unknown fault "slowDns"; known: ${FAULT_NAMES.join(', ')}`,
    )
    expect(() => parseFaults([])).toThrow('faults must be an object')
  })
})
