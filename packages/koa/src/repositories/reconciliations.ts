import type { OrderRow } from '../orders/view.js'
import type { Difference } from '../reconcile/match-bill.js'
import type { Queryable } from '../store/types.js'

/** A reconciliation of one day's bill, as stored. */
export interface ReconciliationRow {
  readonly id: string
  /** yyyy-MM-dd (China). */
  readonly bill_date: string
  /** running, matched (no difference left), differences, no_bill (Alipay has none), failed. */
  readonly status: 'running' | 'matched' | 'differences' | 'no_bill' | 'failed'
  readonly started_at: Date | string
  readonly finished_at: Date | string | null
  readonly bill_lines: number
  readonly orders_checked: number
  readonly differences: number
  readonly settled: number
  readonly error: string | null
}

export interface ReconciliationItemRow {
  readonly order_id: string
  readonly kind: Difference['kind']
  readonly trade_no: string | null
  readonly alipay_fen: string | number | null
  readonly local_fen: string | number | null
  readonly detail: string
  readonly settled: boolean
}

const COLUMNS = `id::text, to_char(bill_date, 'YYYY-MM-DD') as bill_date, status, started_at,
  finished_at, bill_lines, orders_checked, differences, settled, error`

export async function startReconciliation(q: Queryable, day: string): Promise<ReconciliationRow> {
  const rows = await q.query<ReconciliationRow>(
    `insert into akit_reconciliations (bill_date, status) values ($1::date, 'running') returning ${COLUMNS}`,
    [day],
  )
  return rows[0] as ReconciliationRow
}

/** Writes a reconciliation's outcome and its differences, in one transaction. */
export async function finishReconciliation(
  q: Queryable,
  id: string,
  outcome: {
    readonly status: ReconciliationRow['status']
    readonly billLines: number
    readonly ordersChecked: number
    readonly items: ReadonlyArray<Difference & { readonly settled: boolean }>
    readonly error: string | null
  },
): Promise<void> {
  const settled = outcome.items.filter((item) => item.settled).length
  await q.query(
    `with items as (
       insert into akit_reconciliation_items
         (reconciliation_id, order_id, kind, trade_no, alipay_fen, local_fen, detail, settled)
       select $1::bigint, x.order_id, x.kind, x.trade_no, x.alipay_fen, x.local_fen, x.detail, x.settled
       from jsonb_to_recordset($2::jsonb) as x(order_id text, kind text, trade_no text,
         alipay_fen bigint, local_fen bigint, detail text, settled boolean)
       on conflict do nothing
       returning 1
     )
     update akit_reconciliations set status = $3, bill_lines = $4, orders_checked = $5,
       differences = $6, settled = $7, error = $8, finished_at = now()
     where id = $1::bigint`,
    [
      id,
      JSON.stringify(
        outcome.items.map((item) => ({
          order_id: item.orderId,
          kind: item.kind,
          trade_no: item.tradeNo,
          alipay_fen: item.alipayFen,
          local_fen: item.localFen,
          detail: item.detail,
          settled: item.settled,
        })),
      ),
      outcome.status,
      outcome.billLines,
      outcome.ordersChecked,
      outcome.items.length,
      settled,
      outcome.error,
    ],
  )
}

export async function listReconciliations(
  q: Queryable,
  limit: number,
): Promise<ReconciliationRow[]> {
  return q.query<ReconciliationRow>(
    `select ${COLUMNS} from akit_reconciliations order by id desc limit $1`,
    [limit],
  )
}

export async function findReconciliation(
  q: Queryable,
  id: string,
): Promise<{ row: ReconciliationRow; items: ReconciliationItemRow[] } | undefined> {
  const [row] = await q.query<ReconciliationRow>(
    `select ${COLUMNS} from akit_reconciliations where id = $1::bigint`,
    [id],
  )
  if (!row) return undefined
  const items = await q.query<ReconciliationItemRow>(
    `select order_id, kind, trade_no, alipay_fen, local_fen, detail, settled
     from akit_reconciliation_items where reconciliation_id = $1::bigint order by kind, order_id`,
    [id],
  )
  return { row, items }
}

/** Whether the day has a reconciliation that read its bill (the daily job does each day once). */
export async function dayReconciled(q: Queryable, day: string): Promise<boolean> {
  const rows = await q.query(
    `select 1 from akit_reconciliations
     where bill_date = $1::date and status in ('matched', 'differences') limit 1`,
    [day],
  )
  return rows.length > 0
}

/**
 * The orders a day's bill is matched against: those it names, and the Open Platform orders paid
 * here that day (China time).
 */
export async function ordersForBill(
  q: Queryable,
  ids: readonly string[],
  day: string,
): Promise<{ named: OrderRow[]; paidThatDay: OrderRow[] }> {
  const named = await q.query<OrderRow>('select * from akit_orders where id = any($1::text[])', [
    [...ids],
  ])
  // China time has no daylight saving: a day is [00:00+08:00, next 00:00+08:00).
  const start = new Date(`${day}T00:00:00+08:00`)
  const paidThatDay = await q.query<OrderRow>(
    `select * from akit_orders
     where gateway = 'open' and paid_at >= $1 and paid_at < $2`,
    [start, new Date(start.getTime() + 86_400_000)],
  )
  return { named, paidThatDay }
}
