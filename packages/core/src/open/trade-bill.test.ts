import { describe, expect, it } from 'vitest'
import { conformanceSamples } from '../conformance/corpus.js'
import { isAlipayKitError } from '../shared/errors.js'
import { parseTradeBill } from './trade-bill.js'

const sample = conformanceSamples().find((s) => s.kind === 'bill')?.csv as string

function failure(text: string): string {
  try {
    parseTradeBill(text)
  } catch (error) {
    if (isAlipayKitError(error) && error.code === 'BILL_MALFORMED') return error.message
    throw error
  }
  throw new Error('expected BILL_MALFORMED')
}

describe('parseTradeBill', () => {
  it('finds columns by name: a column added or moved changes nothing', () => {
    const moved = sample
      .replace('支付宝交易号,商户订单号,', '商户订单号,支付宝交易号,')
      .split('\r\n')
    // Swap the first two cells of each data row to match the moved header.
    const rows = moved.map((line) =>
      /^\d{20,}/.test(line) ? line.replace(/^([^,]*),([^,]*),/, '$2,$1,') : line,
    )
    expect(parseTradeBill(rows.join('\r\n')).lines.map((l) => l.outTradeNo)).toEqual([
      'A20261201000001',
      'A20261201000001',
    ])
  })

  it('reads a quoted subject with a comma in it', () => {
    const text = sample.replace(/龙井茶 250g/g, '"龙井茶, 250g"')
    expect(parseTradeBill(text).lines[0]?.subject).toBe('龙井茶, 250g')
  })

  it('refuses a file cut short, a missing column, a bad amount, and lines that do not add up', () => {
    expect(
      failure(
        sample.slice(
          0,
          sample.indexOf('#-----------------------------------------业务明细列表结束'),
        ),
      ),
    ).toContain('cut short')
    expect(failure(sample.replace('商家实收（元）', '实收'))).toContain('no column 商家实收（元）')
    expect(failure(sample.replace('128.00\t,128.00', '128.00\t,12x.00'))).toContain('not an amount')
    const lines = sample.split('\r\n')
    const withoutRefund = lines.filter((l) => !l.includes('R20261201152000')).join('\r\n')
    expect(failure(withoutRefund)).toContain('refunds do not add up')
    expect(failure('#支付宝业务汇总查询\r\n')).toContain('details file')
  })
})
