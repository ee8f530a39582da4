import { describe, expect, it } from 'vitest'
import { parseSignedYuan } from '../shared/money.js'
import { explainAmount } from './amount.js'

describe('amounts Alipay legitimately changes', () => {
  it('matches the same amount on both gateways', () => {
    expect(explainAmount({ gateway: 'legacy', amountFen: 12800, params: {} }, 12800)).toEqual({
      kind: 'match',
    })
    expect(explainAmount({ gateway: 'open', amountFen: 1, params: undefined }, 1)).toEqual({
      kind: 'match',
    })
  })

  it('explains a seller-adjusted price (is_total_fee_adjust=Y), up or down', () => {
    for (const charged of [9000, 15000]) {
      expect(
        explainAmount(
          { gateway: 'legacy', amountFen: charged, params: { is_total_fee_adjust: 'Y' } },
          12800,
        ),
      ).toMatchObject({
        kind: 'explained',
        adjustment: {
          reason: 'PRICE_ADJUSTED',
          chargedFen: charged,
          detail: expect.stringContaining('is_total_fee_adjust=Y'),
        },
      })
    }
  })

  it('explains a discount that accounts for the whole difference on the ordered goods', () => {
    const params = { price: '128.00', quantity: '1', discount: '-28.00', use_coupon: 'Y' }
    expect(explainAmount({ gateway: 'legacy', amountFen: 10000, params }, 12800)).toMatchObject({
      kind: 'explained',
      adjustment: {
        reason: 'DISCOUNT',
        chargedFen: 10000,
        detail: expect.stringContaining('-28.00'),
      },
    })
  })

  it.each([
    [
      'a discount that does not add up',
      { price: '128.00', quantity: '1', discount: '-10.00' },
      10000,
    ],
    ['goods other than the order', { price: '100.00', quantity: '1', discount: '-0.01' }, 9999],
    ['a coupon flag alone', { use_coupon: 'Y', is_total_fee_adjust: 'N' }, 10000],
    ['a malformed discount', { price: '128.00', quantity: '1', discount: '-28.0.0' }, 10000],
  ])('leaves %s unexplained, saying why', (_label, params, charged) => {
    const check = explainAmount({ gateway: 'legacy', amountFen: charged, params }, 12800)
    expect(check).toMatchObject({
      kind: 'unexplained',
      chargedFen: charged,
      reason: expect.stringContaining("differs from the order's 128.00"),
    })
  })

  it('never explains a different total on the Open Platform', () => {
    expect(
      explainAmount(
        {
          gateway: 'open',
          amountFen: 100,
          params: { is_total_fee_adjust: 'Y', discount: '-1.00' },
        },
        200,
      ),
    ).toMatchObject({ kind: 'unexplained', reason: expect.stringContaining('receipt_amount') })
  })

  it('reads signed yuan amounts without floats', () => {
    expect(parseSignedYuan('-5')).toBe(-500)
    expect(parseSignedYuan('0.00')).toBe(0)
    expect(parseSignedYuan('12.3')).toBe(1230)
    expect(() => parseSignedYuan('1e3', 'discount')).toThrow(/discount/)
  })
})
