import type { AddressView, OrderLine, OrderPhase, OrderView, PayService } from '@alipay-kit/client'
import { formatYuan, type PaymentState } from '@alipay-kit/core'
import { expiresAtOf } from './trade-facts.js'

/** An order as stored (akit_orders). */
export interface OrderRow {
  readonly id: string
  readonly access_token_hash: string
  readonly gateway: 'legacy' | 'open'
  readonly service: PayService
  readonly user_id: string | null
  readonly session_hash: string | null
  readonly subject: string
  readonly amount_fen: number | string
  readonly items: OrderLine[]
  readonly address: AddressView | null
  readonly state: PaymentState
  readonly trade_status: string
  readonly refund_status: string | null
  readonly refunded_fen: number | string
  readonly trade_no: string | null
  readonly buyer_id: string | null
  readonly returned_at: Date | string | null
  readonly queried_at: Date | string | null
  /** When the payment stops being payable (sent to Alipay with it). */
  readonly expires_at: Date | string | null
  /** How often the sweep asked Alipay, and when it asks next (null: not swept). */
  readonly sweep_attempts: number
  readonly sweep_next_at: Date | string | null
  /** When Alipay says the buyer paid (gmt_payment / send_pay_date), or when the kit learnt it. */
  readonly paid_at: Date | string | null
  readonly created_at: Date | string
  readonly updated_at: Date | string
  /** Bumped by every transition (optimistic writes). */
  readonly version: number
}

/** Where the order stands, for people (see OrderPhase in @alipay-kit/client). */
export function phaseOf(state: PaymentState): OrderPhase {
  const refund = state.refund
  if (state.review && !state.paid) return 'review'
  if (state.trade === 'TRADE_CLOSED')
    return state.paid || state.refundsSucceeded.length > 0 ? 'refunded' : 'closed'
  if (refund === 'WAIT_SELLER_AGREE') return 'refund_requested'
  if (refund === 'WAIT_BUYER_RETURN_GOODS' || refund === 'WAIT_SELLER_CONFIRM_GOODS')
    return 'refund_in_progress'
  if (state.refundsSucceeded.length > 0) return 'refunded'
  if (state.trade === 'TRADE_FINISHED') return 'finished'
  if (refund === 'SELLER_REFUSE_BUYER') return 'refund_refused'
  if (state.trade === 'WAIT_BUYER_CONFIRM_GOODS') return 'shipped'
  if (state.paid) return 'paid'
  return 'waiting'
}

/** No further change is expected soon, so a poller may stop. */
export function isFinal(phase: OrderPhase, state: PaymentState): boolean {
  if (phase === 'closed' || phase === 'finished' || phase === 'refunded') return true
  return phase === 'paid' && state.mode === 'instant'
}

const iso = (value: Date | string) =>
  (value instanceof Date ? value : new Date(value)).toISOString()

export function toOrderView(row: OrderRow): OrderView {
  const state = row.state
  const phase = phaseOf(state)
  return {
    id: row.id,
    phase,
    final: isFinal(phase, state),
    tradeStatus: state.trade,
    refundStatus: state.refund ?? null,
    paid: state.paid,
    shipped: state.shipped,
    mode: state.mode ?? null,
    service: row.service,
    gateway: row.gateway,
    subject: row.subject,
    amount: formatYuan(Number(row.amount_fen)),
    amountFen: Number(row.amount_fen),
    refunded: formatYuan(Number(row.refunded_fen)),
    adjustment: state.adjustment
      ? {
          reason: state.adjustment.reason,
          charged: formatYuan(state.adjustment.chargedFen),
          detail: state.adjustment.detail,
        }
      : null,
    review: state.review
      ? {
          code: state.review.code,
          reason: state.review.reason,
          charged:
            state.review.chargedFen === undefined ? null : formatYuan(state.review.chargedFen),
        }
      : null,
    refundFailures: (state.refundsFailed ?? []).map((failure) => ({
      id: failure.id,
      amount: formatYuan(failure.amountFen),
      code: failure.code,
    })),
    items: row.items,
    address: row.address,
    tradeNo: row.trade_no,
    confirming: row.returned_at !== null && !state.paid && state.trade !== 'TRADE_CLOSED',
    createdAt: iso(row.created_at),
    expiresAt: iso(expiresAtOf(row)),
    paidAt: row.paid_at === null ? null : iso(row.paid_at),
    updatedAt: iso(row.updated_at),
  }
}
