import { decideTransition, type PaymentEventOccurrence, type StatusReport } from '@alipay-kit/core'
import { findOrder } from '../orders/repository.js'
import type { OrderRow } from '../orders/view.js'
import type { Queryable, Store } from '../store/types.js'
import { logNotification } from './log.js'

/** The channel that carries order status changes to every instance (LISTEN/NOTIFY). */
export const ORDER_CHANNEL = 'akit_orders'

/** A status Alipay reported for an order: by notification, or in answer to the BFF's own query. */
export interface StatusUpdate {
  readonly gateway: 'legacy' | 'open'
  readonly channel: 'notify' | 'query'
  readonly orderId: string
  readonly notifyId: string | undefined
  readonly report: StatusReport
  /** The trade's total as Alipay reports it, in fen: must equal the order's. */
  readonly amountFen: number
  readonly tradeNo: string | undefined
  readonly buyerId: string | undefined
  /** Refunded so far, as Alipay reports it. */
  readonly refundFen: number | undefined
  readonly params: Readonly<Record<string, string>> | undefined
}

export type ApplyResult =
  | {
      readonly outcome: 'applied'
      readonly order: OrderRow
      readonly events: readonly PaymentEventOccurrence[]
    }
  | { readonly outcome: 'duplicate' | 'stale'; readonly order: OrderRow; readonly reason: string }
  | { readonly outcome: 'rejected'; readonly code: string; readonly reason: string }

/**
 * Applies a reported status to its order in one transaction: the order row is locked, the core's
 * state machine decides (new transition, duplicate, stale, or a conflict), and a transition is
 * stored with its event keys (a primary key makes a second apply a no-op), its hook jobs (an
 * outbox), its log entry and a NOTIFY to every instance, all committed together or not at all.
 */
export async function applyStatusUpdate(
  store: Store,
  update: StatusUpdate,
  hookEvents: ReadonlySet<string>,
): Promise<ApplyResult> {
  return store.transaction(async (tx) => {
    const order = await findOrder(tx, update.orderId, { forUpdate: true })
    const log = (
      outcome: 'applied' | 'duplicate' | 'stale' | 'rejected',
      code?: string,
      reason?: string,
    ) =>
      logNotification(tx, {
        gateway: update.gateway,
        channel: update.channel,
        orderId: update.orderId,
        notifyId: update.notifyId,
        tradeStatus: update.report.tradeStatus,
        refundStatus: update.report.refundStatus,
        outcome,
        code,
        reason,
        params: update.params,
      })
    const reject = async (code: string, reason: string): Promise<ApplyResult> => {
      await log('rejected', code, reason)
      return { outcome: 'rejected', code, reason }
    }
    if (!order)
      return reject('UNKNOWN_ORDER', `out_trade_no ${update.orderId} is not an order of this shop`)
    if (order.gateway !== update.gateway)
      return reject(
        'ORDER_MISMATCH',
        `The order was paid through the ${order.gateway} gateway; a ${update.gateway} notification cannot change it`,
      )
    if (Number(order.amount_fen) !== update.amountFen)
      return reject(
        'AMOUNT_MISMATCH',
        `The notification's amount ${update.amountFen} fen differs from the order's ${order.amount_fen} fen`,
      )
    if (order.trade_no && update.tradeNo && order.trade_no !== update.tradeNo)
      return reject(
        'ORDER_MISMATCH',
        `trade_no ${update.tradeNo} is not the order's Alipay trade ${order.trade_no}`,
      )

    const decision = decideTransition(order.state, update.report)
    if (decision.kind === 'conflict') return reject('CONFLICT', decision.reason)
    if (decision.kind !== 'transition') {
      await log(decision.kind, undefined, decision.reason)
      return { outcome: decision.kind, order, reason: decision.reason }
    }

    const inserted: PaymentEventOccurrence[] = []
    for (const occurrence of decision.events) {
      const rows = await tx.query(
        `insert into akit_order_events (order_id, key, event, channel, notify_id)
         values ($1, $2, $3, $4, $5) on conflict do nothing returning key`,
        [order.id, occurrence.key, occurrence.event, update.channel, update.notifyId ?? null],
      )
      if (rows.length > 0) inserted.push(occurrence)
    }
    for (const occurrence of inserted) {
      if (!hookEvents.has(occurrence.event)) continue
      await tx.query(
        `insert into akit_hook_jobs (order_id, event_key, event) values ($1, $2, $3) on conflict do nothing`,
        [order.id, occurrence.key, occurrence.event],
      )
    }
    const rows = await tx.query<OrderRow>(
      `update akit_orders set
         state = $2::jsonb, trade_status = $3, refund_status = $4,
         trade_no = coalesce(trade_no, $5), buyer_id = coalesce(buyer_id, $6),
         refunded_fen = greatest(refunded_fen, $7), updated_at = now()
       where id = $1 returning *`,
      [
        order.id,
        JSON.stringify(decision.next),
        decision.next.trade,
        decision.next.refund ?? null,
        update.tradeNo ?? null,
        update.buyerId ?? null,
        update.refundFen ?? 0,
      ],
    )
    await log('applied')
    await tx.query('select pg_notify($1, $2)', [ORDER_CHANNEL, order.id])
    return { outcome: 'applied', order: rows[0] as OrderRow, events: inserted }
  })
}

/** Writes a log entry outside any transaction (rejections before an order is known). */
export function logRejection(
  q: Queryable,
  entry: Omit<Parameters<typeof logNotification>[1], 'outcome'>,
): Promise<void> {
  return logNotification(q, { ...entry, outcome: 'rejected' })
}
