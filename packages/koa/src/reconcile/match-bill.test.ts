import { initialPaymentState, type TradeBillLine } from '@alipay-kit/core'
import { describe, expect, it } from 'vitest'
import type { OrderRow } from '../orders/view.js'
import { matchBill } from './match-bill.js'

const order = (id: string, fen: number, paid: boolean, refunds: string[] = []): OrderRow =>
  ({
    id,
    gateway: 'open',
    amount_fen: fen,
    refunded_fen: 0,
    trade_no: `T${id}`,
    state: {
      ...initialPaymentState('instant'),
      trade: paid ? 'TRADE_SUCCESS' : 'WAIT_BUYER_PAY',
      paid,
      refundsSucceeded: refunds,
    },
  }) as unknown as OrderRow

const line = (over: Partial<TradeBillLine>): TradeBillLine => ({
  tradeNo: 'T1',
  outTradeNo: 'A1',
  kind: 'payment',
  subject: '茶',
  completedAt: '2026-12-01 10:00:00',
  orderFen: 100,
  receivedFen: 100,
  refundRequestNo: undefined,
  ...over,
})

describe('matchBill', () => {
  it('agrees when every line is an order paid for its amount, refunds recorded', () => {
    const a = order('A1', 100, true, ['R1'])
    const bill = {
      account: undefined,
      lines: [line({}), line({ kind: 'refund', receivedFen: -40, refundRequestNo: 'R1' })],
    }
    expect(matchBill(bill, [a], [a])).toEqual([])
  })

  it('finds an amount and a refund the order here does not have', () => {
    const a = order('A1', 100, true)
    const bill = {
      account: undefined,
      lines: [
        line({ orderFen: 90, receivedFen: 90 }),
        line({ kind: 'refund', receivedFen: -40, refundRequestNo: 'R9' }),
      ],
    }
    expect(matchBill(bill, [a], [a]).map((d) => [d.kind, d.alipayFen, d.localFen])).toEqual([
      ['amount', 90, 100],
      ['refund', 40, 0],
    ])
  })

  it('ignores legacy orders paid that day (not in this bill) and other kinds of lines', () => {
    const legacy = { ...order('L1', 100, true), gateway: 'legacy' } as OrderRow
    const bill = { account: undefined, lines: [line({ kind: '其他', outTradeNo: 'X' })] }
    expect(matchBill(bill, [], [legacy])).toEqual([])
  })
})
