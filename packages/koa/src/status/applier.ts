import type { Gateway } from '@alipay-kit/client'
import {
  AlipayKitError,
  decideTransition,
  explainAmount,
  type PaymentEventOccurrence,
  parseChinaTimestamp,
  refundedAtLeast,
  type StatusReport,
} from '@alipay-kit/core'
import type { ClaimedJob, FinishedJobs } from '../hooks/runner.js'
import type { OrderRow } from '../orders/view.js'
import {
  keptParams,
  type LogInput,
  logNotification,
  nullable,
} from '../repositories/notifications.js'
import { findOrders } from '../repositories/orders.js'
import { type TransitionRow, writeStatusBatch, writtenOrder } from '../repositories/status-batch.js'
import type { Queryable, Store } from '../store/types.js'
import { inSpan } from '../tracing/tracer.js'

/** A status Alipay reported for an order: by notification, or in answer to the BFF's own query. */
export interface StatusUpdate {
  readonly gateway: Gateway
  readonly channel: 'notify' | 'query'
  readonly orderId: string
  readonly notifyId: string | undefined
  readonly report: StatusReport
  /**
   * The trade's total as Alipay reports it, in fen: the order's, or a difference the message's
   * own fields explain (else the order is held for review). Undefined when the message names no
   * trade total (a refund batch's line).
   */
  readonly amountFen: number | undefined
  readonly tradeNo: string | undefined
  readonly buyerId: string | undefined
  /** Refunded so far in all, as Alipay reports it (refund_fee). */
  readonly refundFen: number | undefined
  readonly params: Readonly<Record<string, string>> | undefined
}

export type ApplyResult =
  | {
      readonly outcome: 'applied'
      readonly order: OrderRow
      readonly events: readonly PaymentEventOccurrence[]
      /** Hook jobs written with the transition, already claimed by this instance: run them now. */
      readonly jobs: readonly ClaimedJob[]
    }
  | { readonly outcome: 'duplicate' | 'stale'; readonly order: OrderRow; readonly reason: string }
  | { readonly outcome: 'rejected'; readonly code: string; readonly reason: string }

interface Pending {
  readonly update: StatusUpdate
  readonly resolve: (result: ApplyResult) => void
  readonly reject: (error: unknown) => void
  attempts: number
}

/** A batch gives up on an order that keeps changing under it after this many rounds. */
const MAX_ATTEMPTS = 5

/**
 * Applies reported statuses to their orders. Updates that arrive together are decided and written
 * together: one read and one write per batch instead of several round trips per notification,
 * with no added wait when the BFF is idle (a batch is whatever queued while the previous ones were
 * being written; `parallel` batches at most are in flight). An order is in one batch at a time,
 * so updates for one order are decided one after another on this instance; a concurrent writer on
 * another instance makes the compare-and-set miss, and the update is decided again on what that
 * writer committed.
 */
export class StatusApplier {
  private queue: Pending[] = []
  /** Orders in a batch being written: their next updates wait for it. */
  private readonly busy = new Set<string>()
  private inFlight = 0
  private scheduled = false

  constructor(
    private readonly store: Store,
    private readonly hookEvents: ReadonlySet<string>,
    private readonly options: {
      /** How long hook jobs claimed at their transition stay this instance's (then another may take them). */
      hookLockMs: number
      maxBatch: number
      parallel: number
      /** The kit's clock: when the kit learnt of a payment whose message gives no time. */
      clock: () => number
      /** Webhook URLs: each event gets a delivery to each, written with its transition. */
      webhookUrls: readonly string[]
      /** Called when a batch has committed webhook deliveries (the kit starts delivering them). */
      onWebhooks?: () => void
      /** Called after each batch with its size and how long it took (metrics). */
      onBatch?: (size: number, seconds: number) => void
      /** Hook jobs that ran: each batch records them with its write (hooks/runner.ts). */
      finishedJobs?: FinishedJobs
    } = { hookLockMs: 60_000, maxBatch: 64, parallel: 2, clock: Date.now, webhookUrls: [] },
  ) {}

  /** Whether a batch is in flight or waiting to start. */
  get pending(): boolean {
    return this.inFlight > 0 || this.queue.length > 0
  }

  apply(update: StatusUpdate): Promise<ApplyResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ update, resolve, reject, attempts: 0 })
      this.schedule()
    })
  }

  /** Starts a batch on the next turn of the event loop, so that what arrives together goes together. */
  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.parallel || this.queue.length === 0) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.startBatch()
    })
  }

  private startBatch(): void {
    const batch: Pending[] = []
    const rest: Pending[] = []
    const ids = new Set<string>()
    for (const item of this.queue) {
      const id = item.update.orderId
      if (batch.length < this.options.maxBatch && !ids.has(id) && !this.busy.has(id)) {
        ids.add(id)
        batch.push(item)
      } else rest.push(item)
    }
    this.queue = rest
    if (batch.length === 0) return
    this.inFlight++
    for (const id of ids) this.busy.add(id)
    const started = performance.now()
    this.run(batch)
      .then(
        (retry) => this.queue.unshift(...retry),
        (error) => {
          for (const item of batch) item.reject(error)
        },
      )
      .finally(() => {
        this.options.onBatch?.(batch.length, (performance.now() - started) / 1000)
        this.inFlight--
        for (const id of ids) this.busy.delete(id)
        this.schedule()
        if (!this.pending) this.options.finishedJobs?.idle()
      })
    this.schedule()
  }

  /** Decides and writes one batch; returns the updates to decide again (their order changed meanwhile). */
  private run(batch: readonly Pending[]): Promise<Pending[]> {
    return inSpan(
      'alipay_kit.apply',
      { attributes: { 'alipay_kit.batch_size': batch.length } },
      () => this.decideAndWrite(batch),
    )
  }

  private async decideAndWrite(batch: readonly Pending[]): Promise<Pending[]> {
    const rows = await findOrders(
      this.store,
      batch.map((item) => item.update.orderId),
    )
    const byId = new Map(rows.map((row) => [row.id, row]))
    const writes: Array<{
      item: Pending
      order: OrderRow
      transition: TransitionRow
      events: PaymentEventOccurrence[]
    }> = []
    const writeInput: TransitionRow[] = []
    const otherLogs: LogInput[] = []
    const settled: Array<() => void> = []

    for (const item of batch) {
      const { update } = item
      const order = byId.get(update.orderId)
      const refusal = order
        ? refusalOf(order, update)
        : {
            code: 'UNKNOWN_ORDER',
            reason: `out_trade_no ${update.orderId} is not an order of this shop`,
          }
      if (refusal) {
        otherLogs.push(logEntry(update, 'rejected', refusal.code, refusal.reason))
        settled.push(() => item.resolve({ outcome: 'rejected', ...refusal }))
        continue
      }
      const current = order as OrderRow
      const decision = decideTransition(current.state, reportWithAmount(current, update))
      if (decision.kind !== 'transition') {
        otherLogs.push(logEntry(update, decision.kind, undefined, decision.reason))
        settled.push(() =>
          item.resolve({ outcome: decision.kind, order: current, reason: decision.reason }),
        )
      } else {
        const transition: TransitionRow = {
          id: current.id,
          version: current.version,
          state: decision.next,
          trade_status: decision.next.trade,
          refund_status: decision.next.refund ?? null,
          trade_no: update.tradeNo ?? null,
          buyer_id: update.buyerId ?? null,
          refunded_fen: Math.max(
            update.refundFen ?? 0,
            refundedAtLeast(decision.next, Number(current.amount_fen)),
          ),
          channel: update.channel,
          notify_id: update.notifyId ?? null,
          events: decision.events.map(({ key, event }) => ({ key, event })),
          gateway: update.gateway,
          rep_trade: update.report.tradeStatus ?? null,
          rep_refund: update.report.refundStatus ?? null,
          params: keptParams(update.params),
          paid_at: decision.events.some((e) => e.event === 'paid')
            ? paidAt(update.params, this.options.clock).toISOString()
            : null,
        }
        writes.push({ item, order: current, transition, events: [...decision.events] })
        writeInput.push(transition)
      }
    }

    const retry: Pending[] = []
    if (writes.length > 0 || otherLogs.length > 0) {
      const finishedJobs = this.options.finishedJobs?.take() ?? []
      const result = await writeStatusBatch(this.store, {
        transitions: writeInput,
        logs: otherLogs.map(logRow),
        hookEvents: [...this.hookEvents],
        hookLockMs: this.options.hookLockMs,
        webhookUrls: this.options.webhookUrls,
        finishedJobs,
      }).catch((error: unknown) => {
        this.options.finishedJobs?.giveBack(finishedJobs)
        throw error
      })
      if (result.events.length > 0 && this.options.webhookUrls.length > 0)
        this.options.onWebhooks?.()
      const written = new Map(result.orders.map((order) => [order.id, order]))
      for (const { item, order: before, transition, events } of writes) {
        const columns = written.get(item.update.orderId)
        if (!columns) {
          item.attempts++
          if (item.attempts >= MAX_ATTEMPTS)
            item.reject(
              new AlipayKitError(
                'STORE_CONFLICT',
                `order ${item.update.orderId} kept changing under ${MAX_ATTEMPTS} attempts; Alipay will retry`,
              ),
            )
          else retry.push(item)
          continue
        }
        const order = writtenOrder(before, transition, columns)
        const keys = new Set(result.events.filter((e) => e.order_id === order.id).map((e) => e.key))
        const jobs = result.jobs.filter((job) => job.order_id === order.id)
        settled.push(() =>
          item.resolve({
            outcome: 'applied',
            order,
            events: events.filter((e) => keys.has(e.key)),
            jobs,
          }),
        )
      }
    }
    for (const settle of settled) settle()
    return retry
  }
}

/**
 * When the buyer paid, as Alipay's message says (gmt_payment in notifications and the legacy
 * query, send_pay_date in alipay.trade.query; China time), else now: the daily bill is matched
 * on it.
 */
function paidAt(params: Readonly<Record<string, string>> | undefined, clock: () => number): Date {
  const text = params?.gmt_payment ?? params?.send_pay_date
  return (text ? parseChinaTimestamp(text) : undefined) ?? new Date(clock())
}

/** Why an update may not touch this order at all, if it may not. */
function refusalOf(
  order: OrderRow,
  update: StatusUpdate,
): { code: string; reason: string } | undefined {
  if (order.gateway !== update.gateway)
    return {
      code: 'ORDER_MISMATCH',
      reason: `The order was paid through the ${order.gateway} gateway; a ${update.gateway} notification cannot change it`,
    }
  if (order.trade_no && update.tradeNo && order.trade_no !== update.tradeNo)
    return {
      code: 'ORDER_MISMATCH',
      reason: `trade_no ${update.tradeNo} is not the order's Alipay trade ${order.trade_no}`,
    }
  return undefined
}

/**
 * The report, with what its amount means for the order (docs/protocol.md,
 * "Amounts Alipay changes"): the order's own amount changes nothing; a difference the message explains rides
 * along as an adjustment; any other holds the order for review (answered `success`, so Alipay
 * stops retrying, and shown to the merchant) instead of a refusal Alipay would retry for a day.
 */
function reportWithAmount(order: OrderRow, update: StatusUpdate): StatusReport {
  if (update.amountFen === undefined) return update.report
  const check = explainAmount(
    { gateway: update.gateway, amountFen: update.amountFen, params: update.params },
    Number(order.amount_fen),
  )
  if (check.kind === 'match') return update.report
  if (check.kind === 'explained') return { ...update.report, adjustment: check.adjustment }
  return {
    ...update.report,
    review: { code: 'AMOUNT_MISMATCH', reason: check.reason, chargedFen: check.chargedFen },
  }
}

function logEntry(
  update: StatusUpdate,
  outcome: LogInput['outcome'],
  code?: string,
  reason?: string,
): LogInput {
  return {
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
  }
}

/** A log entry as a row of the batch statement's jsonb input. */
function logRow(entry: LogInput) {
  return {
    gateway: entry.gateway ?? null,
    channel: entry.channel,
    order_id: nullable(entry.orderId, 128),
    notify_id: nullable(entry.notifyId, 128),
    trade_status: nullable(entry.tradeStatus, 64),
    refund_status: nullable(entry.refundStatus, 64),
    outcome: entry.outcome,
    code: entry.code ?? null,
    reason: nullable(entry.reason, 1000),
    params: keptParams(entry.params),
  }
}

/** Writes a log entry outside any batch (rejections before an order is known). */
export function logRejection(q: Queryable, input: Omit<LogInput, 'outcome'>): Promise<void> {
  return logNotification(q, { ...input, outcome: 'rejected' })
}
