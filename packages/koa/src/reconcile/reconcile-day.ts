import type { ReconciliationView } from '@alipay-kit/client'
import { AlipayKitError, formatYuan } from '@alipay-kit/core'
import type { KitContext } from '../context.js'
import type { OrderRow } from '../orders/view.js'
import {
  findReconciliation,
  finishReconciliation,
  ordersForBill,
  type ReconciliationItemRow,
  type ReconciliationRow,
  startReconciliation,
} from '../repositories/reconciliations.js'
import { refreshFromAlipay } from '../status/active-query.js'
import { type Difference, matchBill } from './match-bill.js'
import { readTradeBill } from './read-bill.js'

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The China date (yyyy-MM-dd) of a moment. */
export function chinaDay(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
}

/**
 * Reconciles one day (yyyy-MM-dd, China time): downloads Alipay's trade bill, matches every line
 * against the orders, asks Alipay about each order the bill shows paid and the shop does not
 * (a query settles it), and keeps the result in the store (koa README, "The daily bill"). Never
 * throws for what Alipay or the bill does: the result says `failed` and why.
 */
export async function reconcileDay(kit: KitContext, day: string): Promise<ReconciliationView> {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00+08:00`)))
    throw new AlipayKitError('INVALID_INPUT', `date must be a day like "2026-12-01"; got "${day}"`)
  const today = chinaDay(kit.config.clock())
  if (day >= today)
    throw new AlipayKitError(
      'INVALID_INPUT',
      `date ${day} is not over yet in China (today is ${today}): Alipay's bill of a day comes the next day`,
    )
  const gateway = kit.gateways.open
  if (!gateway)
    throw new AlipayKitError(
      'INVALID_CONFIG',
      "The daily bill is the Open Platform's (alipay.data.dataservice.bill.downloadurl.query): configure the kit's `open` gateway",
    )
  const run = await startReconciliation(kit.store, day)
  const log = kit.config.logger
  try {
    const zip = await gateway.tradeBill(day)
    if (!zip) {
      const { paidThatDay } = await ordersForBill(kit.store, [], day)
      await finishReconciliation(kit.store, run.id, {
        status: 'no_bill',
        billLines: 0,
        ordersChecked: paidThatDay.length,
        items: [],
        error:
          paidThatDay.length > 0
            ? `Alipay has no bill for ${day} yet ${paidThatDay.length} order(s) were paid here that day: bills come the next morning; the daily job tries again`
            : `Alipay has no bill for ${day}: nothing was paid or refunded that day`,
      })
      return view(kit, run.id)
    }
    const bill = readTradeBill(zip)
    const { named, paidThatDay } = await ordersForBill(
      kit.store,
      [...new Set(bill.lines.map((line) => line.outTradeNo))],
      day,
    )
    const differences = matchBill(bill, named, paidThatDay)
    const items: Array<Difference & { settled: boolean }> = []
    for (const difference of differences)
      items.push({ ...difference, settled: await settle(kit, difference, named) })
    const open = items.filter((item) => !item.settled).length
    await finishReconciliation(kit.store, run.id, {
      status: open === 0 ? 'matched' : 'differences',
      billLines: bill.lines.length,
      ordersChecked: new Set([...named, ...paidThatDay].map((o) => o.id)).size,
      items,
      error: null,
    })
    const level = open === 0 ? 'info' : 'warn'
    log[level](
      { reconciliation: { day, lines: bill.lines.length, differences: items.length, open } },
      open === 0 ? 'bill reconciled' : 'bill reconciled: differences need a person',
    )
  } catch (error) {
    const message = (error as Error).message ?? String(error)
    log.warn({ reconciliation: { day }, err: { message } }, 'bill reconciliation failed')
    await finishReconciliation(kit.store, run.id, {
      status: 'failed',
      billLines: 0,
      ordersChecked: 0,
      items: [],
      error: message,
    })
  }
  return view(kit, run.id)
}

/** A difference a query can settle: Alipay took the money, the order here missed it. */
async function settle(
  kit: KitContext,
  difference: Difference,
  named: readonly OrderRow[],
): Promise<boolean> {
  if (difference.kind !== 'unpaid_here') return false
  const order = named.find((o) => o.id === difference.orderId)
  if (!order) return false
  try {
    const { order: after } = await refreshFromAlipay(kit, order, true)
    return after.state.paid
  } catch {
    return false
  }
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())
const yuan = (fen: string | number | null) => (fen === null ? null : formatYuanSigned(Number(fen)))
const formatYuanSigned = (fen: number) => (fen < 0 ? `-${formatYuan(-fen)}` : formatYuan(fen))

export function reconciliationView(
  row: ReconciliationRow,
  items?: readonly ReconciliationItemRow[],
): ReconciliationView {
  return {
    id: row.id,
    date: row.bill_date,
    status: row.status,
    startedAt: iso(row.started_at) as string,
    finishedAt: iso(row.finished_at),
    billLines: row.bill_lines,
    ordersChecked: row.orders_checked,
    differences: row.differences,
    settled: row.settled,
    error: row.error,
    ...(items
      ? {
          items: items.map((item) => ({
            orderId: item.order_id,
            kind: item.kind,
            tradeNo: item.trade_no,
            alipayAmount: yuan(item.alipay_fen),
            localAmount: yuan(item.local_fen),
            detail: item.detail,
            settled: item.settled,
          })),
        }
      : {}),
  }
}

async function view(kit: KitContext, id: string): Promise<ReconciliationView> {
  const found = await findReconciliation(kit.store, id)
  if (!found) throw new AlipayKitError('MISUSE', `reconciliation ${id} vanished`)
  return reconciliationView(found.row, found.items)
}
