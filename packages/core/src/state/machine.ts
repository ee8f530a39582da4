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
  /** Refunds that reached REFUND_SUCCESS, by id (Open Platform out_biz_no, `batch-<batch_no>`, or `round-N`). */
  readonly refundsSucceeded: readonly string[]
  /** The amount of each identified refund whose result named it (legacy batch lines), in fen. */
  readonly refundAmounts?: Readonly<Record<string, number>>
  /** Refunds Alipay refused, oldest first (absent in states stored before there were any). */
  readonly refundsFailed?: readonly RefundFailure[]
  /** Why the order needs a person: money moved in a way the shop cannot accept on its own. */
  readonly review?: Review
  /** Alipay charged another amount than the order's, for a reason the notification states. */
  readonly adjustment?: AmountAdjustment
}

/** A refund Alipay refused (a legacy batch line whose result is not SUCCESS). */
export interface RefundFailure {
  readonly id: string
  /** Alipay's code, e.g. TRADE_STATUS_ERROR (explainAlipayError has cause and fix). */
  readonly code: string
  readonly amountFen: number
}

/** Why an order is held for review instead of being marked paid (docs/protocol.md, "Amounts Alipay changes"). */
export interface Review {
  /** AMOUNT_MISMATCH (charged an amount nothing explains) or PAID_AFTER_CLOSE. */
  readonly code: 'AMOUNT_MISMATCH' | 'PAID_AFTER_CLOSE'
  readonly reason: string
  /** What Alipay says it charged, in fen, when the report says. */
  readonly chargedFen?: number | undefined
}

/** An amount Alipay charged that differs from the order's, and why that is accepted. */
export interface AmountAdjustment {
  /** PRICE_ADJUSTED: the seller changed the price at Alipay; DISCOUNT: a discount the trade names. */
  readonly reason: 'PRICE_ADJUSTED' | 'DISCOUNT'
  readonly chargedFen: number
  readonly detail: string
}

/** The status a notification (or a trade query) reports. */
export interface StatusReport {
  readonly tradeStatus?: TradeStatus | undefined
  readonly refundStatus?: RefundStatus | undefined
  /** Identifies one refund (Open Platform out_biz_no, legacy `batch-<batch_no>`). */
  readonly refundId?: string | undefined
  /** That refund's own amount, when the report names it (a legacy batch line), in fen. */
  readonly refundAmountFen?: number | undefined
  /** A refund Alipay refused: recorded once per id, never as a status. */
  readonly refundFailed?: RefundFailure | undefined
  /** Hold the order for a person instead of applying the status (the status is not applied). */
  readonly review?: Review | undefined
  /** The status comes with an amount other than the order's that its own fields explain. */
  readonly adjustment?: AmountAdjustment | undefined
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
  'refund_failed',
  'review',
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
  knownMode: PaymentMode | undefined,
  amountFen: number | undefined,
): Part {
  if (refundId !== undefined) {
    // An identified (partial) refund: each id succeeds once, whatever the order they arrive in.
    if (status !== 'REFUND_SUCCESS')
      return { kind: 'none', reason: 'only REFUND_SUCCESS is tracked per refund id' }
    if (state.refundsSucceeded.includes(refundId))
      return { kind: 'duplicate', reason: `refund ${refundId} is already recorded` }
    const refundAmounts =
      amountFen === undefined
        ? state.refundAmounts
        : { ...state.refundAmounts, [refundId]: amountFen }
    return {
      kind: 'transition',
      next: {
        ...state,
        refund: status,
        refundsSucceeded: [...state.refundsSucceeded, refundId],
        ...(refundAmounts ? { refundAmounts } : {}),
      },
      events: [{ event: 'refunded', key: `refund:${refundId}:REFUND_SUCCESS` }],
    }
  }
  if (knownMode === 'instant' && status === 'REFUND_SUCCESS') {
    // An instant trade's refunds are made through the refund API, whose result names each one
    // (batch_refund_notify, out_biz_no): a trade notification's bare REFUND_SUCCESS is the same
    // refund seen again, kept as the status but not counted (docs/protocol.md, "Legacy refunds").
    if (state.refund === status) return { kind: 'duplicate', reason: `refund is already ${status}` }
    return { kind: 'transition', next: { ...state, refund: status }, events: [] }
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
 * to run hooks for, each once), a duplicate, or a stale report (out of order: never move
 * backwards). An amount nothing explains holds the order for review (its status unchanged, the
 * `review` event once); money taken for an order the shop had closed unpaid is applied as paid
 * and flagged the same way. Pure: store `next` and the event keys in one
 * transaction.
 */
export function decideTransition(state: PaymentState, report: StatusReport): Decision {
  if (report.review) return holdForReview(state, report.review)
  if (report.refundFailed) return recordRefundFailure(state, report.refundFailed)
  const hasRefund = report.refundStatus !== undefined
  if (
    report.tradeStatus !== undefined &&
    PAID_STATUSES.includes(report.tradeStatus) &&
    state.trade === 'TRADE_CLOSED' &&
    !state.paid
  ) {
    // The buyer paid after the shop closed the order (a late cashier, a notification held back):
    // the money is there, so the payment is applied and the order flagged for the merchant,
    // never refused (docs/protocol.md, "Expiry").
    const reopened = decideTransition({ ...state, trade: 'WAIT_BUYER_PAY' }, report)
    if (reopened.kind !== 'transition') return reopened
    const review: Review = {
      code: 'PAID_AFTER_CLOSE',
      reason: `Alipay reports ${report.tradeStatus} for an order the shop had closed unpaid: the buyer paid after the close. It is marked paid; fulfil it, or refund it`,
    }
    return {
      kind: 'transition',
      next: { ...reopened.next, review },
      events: [...reopened.events, { event: 'review', key: `review:${review.code}` }],
    }
  }
  let current = state
  if (report.adjustment && !sameAdjustment(state.adjustment, report.adjustment))
    current = { ...current, adjustment: report.adjustment }
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
    // The mode as known before this report: a refund that itself reveals payment (a dual trade
    // seen first refunded) is counted by rounds, as the buyer-driven refunds of escrow are.
    parts.push((s) => applyRefund(s, status, report.refundId, state.mode, report.refundAmountFen))
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

function sameAdjustment(a: AmountAdjustment | undefined, b: AmountAdjustment): boolean {
  return a !== undefined && a.reason === b.reason && a.chargedFen === b.chargedFen
}

/** The order stays where it is (out of "paid"), marked for a person, once per reason. */
function holdForReview(state: PaymentState, review: Review): Decision {
  if (state.review?.code === review.code)
    return { kind: 'duplicate', reason: `already held for review (${review.code})` }
  return {
    kind: 'transition',
    next: { ...state, review },
    events: [{ event: 'review', key: `review:${review.code}` }],
  }
}

function recordRefundFailure(state: PaymentState, failure: RefundFailure): Decision {
  const failed = state.refundsFailed ?? []
  if (failed.some((f) => f.id === failure.id) || state.refundsSucceeded.includes(failure.id))
    return { kind: 'duplicate', reason: `refund ${failure.id} is already recorded` }
  return {
    kind: 'transition',
    next: { ...state, refundsFailed: [...failed, failure] },
    events: [{ event: 'refund_failed', key: `refund:${failure.id}:FAILED` }],
  }
}

/**
 * What the state says was refunded, in fen, at least: the whole charge once a paid trade is
 * closed (a paid trade closes only when refunded in full, docs/protocol.md "Trade and refund
 * statuses"), else the sum of the refunds whose amounts are known. A cumulative total Alipay
 * reports (refund_fee) may be higher: keep the greater of the two.
 */
export function refundedAtLeast(state: PaymentState, orderFen: number): number {
  const charged = state.adjustment?.chargedFen ?? orderFen
  if (state.paid && state.trade === 'TRADE_CLOSED') return charged
  const known = Object.values(state.refundAmounts ?? {}).reduce((sum, fen) => sum + fen, 0)
  return Math.min(known, charged)
}
