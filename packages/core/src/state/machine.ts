import {
  PAID_STATUSES,
  REFUND_RANK,
  type RefundStatus,
  TRADE_RANK,
  type TradeStatus,
} from './statuses.js'

/** How the buyer paid: known from the service, or inferred for the dual interface (docs/protocol.md, "Dual interface"). */
export type PaymentMode = 'instant' | 'escrow'

/** What the shop has recorded about one order's Alipay trade. */
export interface PaymentState {
  readonly trade: TradeStatus
  /** The buyer paid (some status implied it), even if the trade was later closed by a refund. */
  readonly paid: boolean
  readonly shipped: boolean
  readonly mode: PaymentMode | undefined
  readonly refund: RefundStatus | undefined
  /** Which refund request the legacy refund status belongs to: a new one starts after SELLER_REFUSE_BUYER. */
  readonly refundRound: number
  /** Refunds that reached REFUND_SUCCESS, by id (Open Platform out_biz_no, or `round-N`). */
  readonly refundsSucceeded: readonly string[]
}

/** The status a notification (or a trade query) reports. */
export interface StatusReport {
  readonly tradeStatus?: TradeStatus | undefined
  readonly refundStatus?: RefundStatus | undefined
  /** Identifies one partial refund (Open Platform out_biz_no). */
  readonly refundId?: string | undefined
}

/**
 * Milestones merchant hooks run on, each exactly once per order (per refund for refund events).
 * The one list: the koa package's hook names are typed over it (ARCHITECTURE.md, "Add a hook event").
 */
export const PAYMENT_EVENTS = [
  'paid',
  'shipped',
  'finished',
  'closed',
  'refund_requested',
  'refund_refused',
  'refund_agreed',
  'goods_returned',
  'refunded',
  'refund_closed',
] as const
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number]

export interface PaymentEventOccurrence {
  readonly event: PaymentEvent
  /** Unique per order and transition: store it to make applying the same change twice a no-op. */
  readonly key: string
}

export type Decision =
  | {
      readonly kind: 'transition'
      readonly next: PaymentState
      readonly events: readonly PaymentEventOccurrence[]
    }
  | { readonly kind: 'duplicate'; readonly reason: string }
  | { readonly kind: 'stale'; readonly reason: string }
  | { readonly kind: 'conflict'; readonly reason: string }

/** A new order's state. Pass the mode when the service fixes it (instant, escrow); leave it out for the dual interface. */
export function initialPaymentState(mode?: PaymentMode): PaymentState {
  return {
    trade: 'WAIT_BUYER_PAY',
    paid: false,
    shipped: false,
    mode,
    refund: undefined,
    refundRound: 0,
    refundsSucceeded: [],
  }
}

const REFUND_EVENT: Readonly<Record<RefundStatus, PaymentEvent>> = {
  WAIT_SELLER_AGREE: 'refund_requested',
  SELLER_REFUSE_BUYER: 'refund_refused',
  WAIT_BUYER_RETURN_GOODS: 'refund_agreed',
  WAIT_SELLER_CONFIRM_GOODS: 'goods_returned',
  REFUND_SUCCESS: 'refunded',
  REFUND_CLOSED: 'refund_closed',
}

type QuietPart = { kind: 'duplicate' | 'stale' | 'none'; reason: string }
type Part = { kind: 'transition'; next: PaymentState; events: PaymentEventOccurrence[] } | QuietPart

function applyTrade(state: PaymentState, status: TradeStatus, impliesPaid: boolean): Part {
  const from = TRADE_RANK[state.trade]
  const to = TRADE_RANK[status]
  if (status === state.trade) return { kind: 'duplicate', reason: `trade is already ${status}` }
  if (to < from) return { kind: 'stale', reason: `${status} is behind the recorded ${state.trade}` }
  if (to === from)
    return { kind: 'duplicate', reason: `${status} is no further than the recorded ${state.trade}` }
  const reportsPaid = PAID_STATUSES.includes(status) || impliesPaid

  const events: PaymentEventOccurrence[] = []
  let { paid, shipped, mode } = state
  if (reportsPaid && !paid) {
    paid = true
    // docs/protocol.md, "Dual interface": from WAIT_BUYER_PAY, WAIT_SELLER_SEND_GOODS means escrow, TRADE_FINISHED instant.
    mode ??=
      status === 'WAIT_SELLER_SEND_GOODS' || status === 'WAIT_BUYER_CONFIRM_GOODS'
        ? 'escrow'
        : 'instant'
    events.push({ event: 'paid', key: 'trade:paid' })
  }
  const reachesShipped =
    status === 'WAIT_BUYER_CONFIRM_GOODS' || (status === 'TRADE_FINISHED' && mode === 'escrow')
  if (reachesShipped && !shipped) {
    shipped = true
    events.push({ event: 'shipped', key: 'trade:shipped' })
  }
  if (status === 'TRADE_FINISHED') events.push({ event: 'finished', key: 'trade:finished' })
  if (status === 'TRADE_CLOSED') events.push({ event: 'closed', key: 'trade:closed' })
  return { kind: 'transition', next: { ...state, trade: status, paid, shipped, mode }, events }
}

/** A refund report without a trade status still proves the buyer paid. */
function markPaid(state: PaymentState): Part {
  if (state.paid) return { kind: 'none', reason: 'already paid' }
  return {
    kind: 'transition',
    next: { ...state, paid: true, mode: state.mode ?? 'instant' },
    events: [{ event: 'paid', key: 'trade:paid' }],
  }
}

function applyRefund(
  state: PaymentState,
  status: RefundStatus,
  refundId: string | undefined,
): Part {
  if (refundId !== undefined) {
    // An identified (partial) refund: each id succeeds once, whatever the order they arrive in.
    if (status !== 'REFUND_SUCCESS')
      return { kind: 'none', reason: 'only REFUND_SUCCESS is tracked per refund id' }
    if (state.refundsSucceeded.includes(refundId))
      return { kind: 'duplicate', reason: `refund ${refundId} is already recorded` }
    return {
      kind: 'transition',
      next: { ...state, refund: status, refundsSucceeded: [...state.refundsSucceeded, refundId] },
      events: [{ event: 'refunded', key: `refund:${refundId}:REFUND_SUCCESS` }],
    }
  }
  const current = state.refund
  const round = Math.max(state.refundRound, 1)
  if (current === status) return { kind: 'duplicate', reason: `refund is already ${status}` }
  const from = current === undefined ? 0 : REFUND_RANK[current]
  const to = REFUND_RANK[status]
  let nextRound = round
  if (to < from)
    return { kind: 'stale', reason: `refund ${status} is behind the recorded ${current}` }
  if (to === from) {
    // Only the refusal cycle moves sideways: the buyer asks again after SELLER_REFUSE_BUYER.
    if (current === 'SELLER_REFUSE_BUYER' && status === 'WAIT_SELLER_AGREE') nextRound = round + 1
    else if (!(current === 'WAIT_SELLER_AGREE' && status === 'SELLER_REFUSE_BUYER')) {
      return {
        kind: 'duplicate',
        reason: `refund ${status} is no further than the recorded ${current}`,
      }
    }
  }
  const id = `round-${nextRound}`
  const refundsSucceeded =
    status === 'REFUND_SUCCESS' ? [...state.refundsSucceeded, id] : state.refundsSucceeded
  return {
    kind: 'transition',
    next: { ...state, refund: status, refundRound: nextRound, refundsSucceeded },
    events: [{ event: REFUND_EVENT[status], key: `refund:${id}:${status}` }],
  }
}

/**
 * Decides what a reported status means for an order: a new transition (with the milestone events
 * to run hooks for, each once), a duplicate, a stale report (out of order: never move backwards),
 * or a conflict a person must look at (money taken for an order the shop had closed unpaid).
 * Pure: store `next` and the event keys in one transaction.
 */
export function decideTransition(state: PaymentState, report: StatusReport): Decision {
  const hasRefund = report.refundStatus !== undefined
  if (
    report.tradeStatus !== undefined &&
    PAID_STATUSES.includes(report.tradeStatus) &&
    state.trade === 'TRADE_CLOSED' &&
    !state.paid
  ) {
    return {
      kind: 'conflict',
      reason: `Alipay reports ${report.tradeStatus} for an order closed unpaid: the buyer paid a closed order; refund or fulfil it by hand`,
    }
  }
  let current = state
  const events: PaymentEventOccurrence[] = []
  const quiet: QuietPart[] = []
  // A refund implies the buyer had paid; record that before the refund so hooks keep their order.
  const parts: Array<(s: PaymentState) => Part> = []
  if (hasRefund && !state.paid && report.tradeStatus === undefined) parts.push(markPaid)
  if (report.tradeStatus !== undefined) {
    const status = report.tradeStatus
    parts.push((s) => applyTrade(s, status, hasRefund))
  }
  if (report.refundStatus !== undefined) {
    const status = report.refundStatus
    parts.push((s) => applyRefund(s, status, report.refundId))
  }
  for (const apply of parts) {
    const part = apply(current)
    if (part.kind === 'transition') {
      current = part.next
      events.push(...part.events)
    } else quiet.push(part)
  }
  if (events.length > 0 || current !== state) return { kind: 'transition', next: current, events }
  const stale = quiet.find((part) => part.kind === 'stale')
  if (stale) return { kind: 'stale', reason: stale.reason }
  const duplicate = quiet.find((part) => part.kind === 'duplicate')
  return { kind: 'duplicate', reason: duplicate?.reason ?? 'the report carries no status' }
}
