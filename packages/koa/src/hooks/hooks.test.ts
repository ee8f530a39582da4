import {
  decideTransition,
  initialPaymentState,
  PAYMENT_EVENTS,
  type StatusReport,
} from '@alipay-kit/core'
import { describe, expect, it } from 'vitest'
import { HOOK_FOR_EVENT, type Hooks, hookedEvents } from './hooks.js'

/* ARCHITECTURE.md, "Add a hook event": every milestone has its hook, and each is reachable. */

describe('hook events', () => {
  it('every milestone of the core has its hook, named on…', () => {
    expect(Object.keys(HOOK_FOR_EVENT).sort()).toEqual([...PAYMENT_EVENTS].sort())
    for (const hook of Object.values(HOOK_FOR_EVENT)) expect(hook).toMatch(/^on[A-Z]\w+$/)
    expect(new Set(Object.values(HOOK_FOR_EVENT)).size).toBe(PAYMENT_EVENTS.length)
  })

  it('only events some hook listens to get outbox jobs', () => {
    const hooks: Hooks = { onPaid: () => {}, onRefunded: () => {} }
    expect([...hookedEvents(hooks)].sort()).toEqual(['paid', 'refunded'])
    expect(hookedEvents({}).size).toBe(0)
  })

  it('the state machine reaches every milestone a hook is named for', () => {
    // One escrow order through every legacy status, and an unpaid one closed.
    const escrow: StatusReport[] = [
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_AGREE' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'SELLER_REFUSE_BUYER' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'REFUND_CLOSED' },
      { tradeStatus: 'TRADE_FINISHED' },
    ]
    const refundedEscrow: StatusReport[] = [
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_AGREE' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_BUYER_RETURN_GOODS' },
      { tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'WAIT_SELLER_CONFIRM_GOODS' },
      { tradeStatus: 'TRADE_CLOSED', refundStatus: 'REFUND_SUCCESS' },
    ]
    const closed: StatusReport[] = [{ tradeStatus: 'TRADE_CLOSED' }]
    // A refund Alipay refused, and a payment held for review.
    const refused: StatusReport[] = [
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS' },
      { refundFailed: { id: 'batch-20261201001', code: 'TRADE_STATUS_ERROR', amountFen: 1 } },
    ]
    const held: StatusReport[] = [
      { tradeStatus: 'WAIT_SELLER_SEND_GOODS', review: { code: 'AMOUNT_MISMATCH', reason: 'x' } },
    ]
    const seen = new Set<string>()
    for (const reports of [escrow, refundedEscrow, closed, refused, held]) {
      let state = initialPaymentState('escrow')
      for (const report of reports) {
        const decision = decideTransition(state, report)
        if (decision.kind !== 'transition') continue
        state = decision.next
        for (const { event } of decision.events) seen.add(event)
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(HOOK_FOR_EVENT).sort())
  })
})
