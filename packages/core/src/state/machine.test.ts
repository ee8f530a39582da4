import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decideTransition,
  initialPaymentState,
  type PaymentState,
  type StatusReport,
} from './machine.js'
import { REFUND_RANK, TRADE_RANK } from './statuses.js'

function applyAll(state: PaymentState, reports: readonly StatusReport[]) {
  const events: string[] = []
  const keys = new Set<string>()
  for (const report of reports) {
    const decision = decideTransition(state, report)
    if (decision.kind === 'transition') {
      for (const occurrence of decision.events) {
        expect(keys.has(occurrence.key), `event key ${occurrence.key} applied twice`).toBe(false)
        keys.add(occurrence.key)
        events.push(occurrence.event)
      }
      state = decision.next
    }
  }
  return { state, events }
}

describe('trade state machine: scenarios', () => {
  it('walks an escrow trade forward, one event per milestone', () => {
    const { state, events } = applyAll(initialPaymentState('escrow'), [
      { tradeStatus: 'WAIT_BUYER_PAY' },
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
      { tradeStatus: 'TRADE_FINISHED' },
    ])
    expect(state).toMatchObject({
      trade: 'TRADE_FINISHED',
      paid: true,
      shipped: true,
      mode: 'escrow',
    })
    expect(events).toEqual(['paid', 'shipped', 'finished'])
  })

  it('TRADE_PENDING (paid, the seller’s account frozen) is paid once; the later success adds nothing', () => {
    const { state, events } = applyAll(initialPaymentState('instant'), [
      { tradeStatus: 'WAIT_BUYER_PAY' },
      { tradeStatus: 'TRADE_PENDING' },
      { tradeStatus: 'TRADE_SUCCESS' },
    ])
    expect(state).toMatchObject({ trade: 'TRADE_SUCCESS', paid: true })
    expect(events).toEqual(['paid'])
    const pending = applyAll(initialPaymentState('instant'), [{ tradeStatus: 'TRADE_PENDING' }])
    expect(pending.state).toMatchObject({ trade: 'TRADE_PENDING', paid: true })
    expect(pending.events).toEqual(['paid'])
  })

  it('treats a repeat as a duplicate and an older status as stale', () => {
    const paid = decideTransition(initialPaymentState(), { tradeStatus: 'TRADE_SUCCESS' })
    if (paid.kind !== 'transition') throw new Error('expected a transition')
    expect(decideTransition(paid.next, { tradeStatus: 'TRADE_SUCCESS' }).kind).toBe('duplicate')
    expect(decideTransition(paid.next, { tradeStatus: 'WAIT_BUYER_PAY' })).toMatchObject({
      kind: 'stale',
      reason: expect.stringContaining('behind'),
    })
  })

  it('infers the dual interface’s payment mode (docs/protocol.md, "Dual interface")', () => {
    const escrow = decideTransition(initialPaymentState(), {
      tradeStatus: 'WAIT_SELLER_SEND_GOODS',
    })
    const instant = decideTransition(initialPaymentState(), { tradeStatus: 'TRADE_FINISHED' })
    expect(escrow).toMatchObject({ kind: 'transition', next: { mode: 'escrow' } })
    expect(instant).toMatchObject({
      kind: 'transition',
      next: { mode: 'instant', trade: 'TRADE_FINISHED' },
    })
    // Jumping straight to TRADE_FINISHED still fires onPaid, once.
    expect(instant.kind === 'transition' && instant.events.map((e) => e.event)).toEqual([
      'paid',
      'finished',
    ])
  })

  it('runs the refund cycle with a refusal and a second request', () => {
    const { state, events } = applyAll(initialPaymentState('escrow'), [
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_AGREE' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'SELLER_REFUSE_BUYER' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_AGREE' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_BUYER_RETURN_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_CONFIRM_GOODS' },
      { tradeStatus: 'TRADE_CLOSED', refundStatus: 'REFUND_SUCCESS' },
    ])
    expect(events).toEqual([
      'paid',
      'shipped',
      'refund_requested',
      'refund_refused',
      'refund_requested',
      'refund_agreed',
      'goods_returned',
      'closed',
      'refunded',
    ])
    expect(state).toMatchObject({
      trade: 'TRADE_CLOSED',
      refund: 'REFUND_SUCCESS',
      refundRound: 2,
      refundsSucceeded: ['round-2'],
    })
  })

  it('counts partial refunds by id (Open Platform out_biz_no)', () => {
    const { state, events } = applyAll(initialPaymentState('instant'), [
      { tradeStatus: 'TRADE_SUCCESS' },
      { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS', refundId: 'R1' },
      { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS', refundId: 'R1' },
      { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS', refundId: 'R2' },
      { tradeStatus: 'TRADE_FINISHED' },
    ])
    expect(events).toEqual(['paid', 'refunded', 'refunded', 'finished'])
    expect(state.refundsSucceeded).toEqual(['R1', 'R2'])
  })

  it('flags money taken for an order closed unpaid, and a refund closing implies payment', () => {
    const closed = decideTransition(initialPaymentState(), { tradeStatus: 'TRADE_CLOSED' })
    if (closed.kind !== 'transition') throw new Error('expected a transition')
    expect(closed.events.map((e) => e.event)).toEqual(['closed'])
    const late = decideTransition(closed.next, { tradeStatus: 'TRADE_SUCCESS' })
    // The buyer paid after the close: applied as paid (the money is there), and flagged.
    expect(late).toMatchObject({
      kind: 'transition',
      next: {
        trade: 'TRADE_SUCCESS',
        paid: true,
        mode: 'instant',
        review: { code: 'PAID_AFTER_CLOSE' },
      },
      events: [
        { event: 'paid', key: 'trade:paid' },
        { event: 'review', key: 'review:PAID_AFTER_CLOSE' },
      ],
    })
    if (late.kind !== 'transition') throw new Error('expected a transition')
    expect(late.next.review?.reason).toContain('refund it')
    // Told again, it is a duplicate: no second event.
    expect(decideTransition(late.next, { tradeStatus: 'TRADE_SUCCESS' }).kind).toBe('duplicate')
    // An escrow payment after the close goes on like any escrow payment.
    const escrow = decideTransition(
      { ...initialPaymentState('escrow'), trade: 'TRADE_CLOSED' },
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
    )
    expect(escrow).toMatchObject({
      kind: 'transition',
      next: { trade: 'WAIT_SELLER_SEND_GOODS', paid: true, review: { code: 'PAID_AFTER_CLOSE' } },
    })
    // Out of order: the refund's TRADE_CLOSED arrives before the payment.
    const refundFirst = applyAll(initialPaymentState(), [
      { tradeStatus: 'TRADE_CLOSED', refundStatus: 'REFUND_SUCCESS' },
      { tradeStatus: 'TRADE_SUCCESS' },
    ])
    expect(refundFirst.events).toEqual(['paid', 'closed', 'refunded'])
    expect(refundFirst.state).toMatchObject({ trade: 'TRADE_CLOSED', paid: true })
  })
})

describe('refund results, reviews and adjusted amounts', () => {
  it('counts an instant trade’s refunds by their results, not by the trade notification', () => {
    const { state, events } = applyAll(initialPaymentState('instant'), [
      { tradeStatus: 'TRADE_SUCCESS' },
      // The trade notification that follows a refund: kept as the status, not a second refund.
      { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS' },
      { refundStatus: 'REFUND_SUCCESS', refundId: 'batch-20261201001' },
      { refundStatus: 'REFUND_SUCCESS', refundId: 'batch-20261201001' },
      { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS' },
      { refundStatus: 'REFUND_SUCCESS', refundId: 'batch-20261201002' },
    ])
    expect(events).toEqual(['paid', 'refunded', 'refunded'])
    expect(state).toMatchObject({
      refund: 'REFUND_SUCCESS',
      refundsSucceeded: ['batch-20261201001', 'batch-20261201002'],
    })
  })

  it('records a refused refund once, as its own event, leaving the trade as it was', () => {
    const paid = applyAll(initialPaymentState('instant'), [{ tradeStatus: 'TRADE_SUCCESS' }]).state
    const failure = { id: 'batch-20261201003', code: 'TRADE_STATUS_ERROR', amountFen: 100 }
    const first = decideTransition(paid, { refundFailed: failure })
    expect(first).toMatchObject({
      kind: 'transition',
      next: { trade: 'TRADE_SUCCESS', refundsFailed: [failure], refundsSucceeded: [] },
      events: [{ event: 'refund_failed', key: 'refund:batch-20261201003:FAILED' }],
    })
    if (first.kind !== 'transition') throw new Error('expected a transition')
    expect(decideTransition(first.next, { refundFailed: failure }).kind).toBe('duplicate')
  })

  it('holds an order for review without applying the status, once per reason', () => {
    const review = {
      code: 'AMOUNT_MISMATCH' as const,
      reason: 'total_fee 1.00 differs',
      chargedFen: 100,
    }
    const held = decideTransition(initialPaymentState('instant'), {
      tradeStatus: 'TRADE_SUCCESS',
      review,
    })
    expect(held).toMatchObject({
      kind: 'transition',
      next: { trade: 'WAIT_BUYER_PAY', paid: false, review },
      events: [{ event: 'review', key: 'review:AMOUNT_MISMATCH' }],
    })
    if (held.kind !== 'transition') throw new Error('expected a transition')
    expect(decideTransition(held.next, { tradeStatus: 'TRADE_SUCCESS', review }).kind).toBe(
      'duplicate',
    )
  })

  it('applies a status whose amount is explained, and keeps the explanation', () => {
    const adjustment = { reason: 'PRICE_ADJUSTED' as const, chargedFen: 9000, detail: 'seller' }
    const { state, events } = applyAll(initialPaymentState(), [
      { tradeStatus: 'WAIT_BUYER_PAY', adjustment },
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS', adjustment },
    ])
    expect(events).toEqual(['paid'])
    expect(state).toMatchObject({ paid: true, mode: 'escrow', adjustment })
  })
})

const fullEscrowTrade: StatusReport[] = [
  { tradeStatus: 'WAIT_BUYER_PAY' },
  { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
  { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
  { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_AGREE' },
  { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_BUYER_RETURN_GOODS' },
  { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_CONFIRM_GOODS' },
  { tradeStatus: 'TRADE_CLOSED', refundStatus: 'REFUND_SUCCESS' },
]
const finishedTrade: StatusReport[] = [
  { tradeStatus: 'WAIT_BUYER_PAY' },
  { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
  { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
  { tradeStatus: 'TRADE_FINISHED' },
]
const openTrade: StatusReport[] = [
  { tradeStatus: 'WAIT_BUYER_PAY' },
  { tradeStatus: 'TRADE_SUCCESS' },
  { tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS', refundId: 'R1' },
  { tradeStatus: 'TRADE_FINISHED' },
]

const sequences = fc.constantFrom(
  { mode: 'escrow' as const, reports: fullEscrowTrade, terminal: ['paid', 'closed', 'refunded'] },
  { mode: 'escrow' as const, reports: finishedTrade, terminal: ['paid', 'shipped', 'finished'] },
  { mode: 'instant' as const, reports: openTrade, terminal: ['paid', 'refunded', 'finished'] },
)

describe('trade state machine: properties', () => {
  it('never moves backwards under any order of deliveries, with duplicates', () => {
    fc.assert(
      fc.property(
        sequences.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.array(fc.constantFrom(...s.reports), { minLength: 1, maxLength: 30 }),
          ),
        ),
        ([s, reports]) => {
          let state = initialPaymentState(s.mode)
          for (const report of reports) {
            const decision = decideTransition(state, report)
            if (decision.kind === 'transition') {
              expect(TRADE_RANK[decision.next.trade]).toBeGreaterThanOrEqual(
                TRADE_RANK[state.trade],
              )
              const before = state.refund ? REFUND_RANK[state.refund] : 0
              const after = decision.next.refund ? REFUND_RANK[decision.next.refund] : 0
              expect(after).toBeGreaterThanOrEqual(before)
              state = decision.next
            }
          }
        },
      ),
    )
  })

  it('ends at the furthest status, each milestone hook at most once and the final ones always', () => {
    fc.assert(
      fc.property(
        sequences.chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray([...s.reports, ...s.reports, ...s.reports], {
              minLength: s.reports.length * 3,
            }),
          ),
        ),
        ([s, shuffled]) => {
          const inOrder = applyAll(initialPaymentState(s.mode), s.reports)
          const scrambled = applyAll(initialPaymentState(s.mode), shuffled)
          expect(scrambled.state.trade).toBe(inOrder.state.trade)
          expect(scrambled.state.refund).toBe(inOrder.state.refund)
          expect(scrambled.state.refundsSucceeded).toEqual(inOrder.state.refundsSucceeded)
          // Late intermediate steps are stale and run no hook; no hook runs that the real path lacks.
          for (const event of scrambled.events) expect(inOrder.events).toContain(event)
          for (const event of s.terminal) expect(scrambled.events).toContain(event)
          expect(scrambled.events.filter((e) => e === 'paid')).toHaveLength(1)
        },
      ),
    )
  })
})

describe('dual interface ambiguity', () => {
  it('infers instant when TRADE_FINISHED arrives first, and a late escrow status cannot rewrite it', () => {
    // The dual interface's rule infers the mode from the first paid status seen; a lost WAIT_SELLER_SEND_GOODS
    // makes an escrow trade look instant. The machine keeps its first inference rather than flip-flop.
    const { state, events } = applyAll(initialPaymentState(), [
      { tradeStatus: 'TRADE_FINISHED' },
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
    ])
    expect(state).toMatchObject({ trade: 'TRADE_FINISHED', mode: 'instant' })
    expect(events).toEqual(['paid', 'finished'])
  })
})
