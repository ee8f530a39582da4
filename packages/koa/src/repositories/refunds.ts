import type { Queryable } from '../store/types.js'

/**
 * Settles an order's requested refunds that its state has recorded (an applied result, or a
 * refusal) and answers how much is still requested, in fen, leaving out `except` (the request
 * being retried). Call it under the order's row lock (findOrder … forUpdate) in a transaction:
 * the state it is given is then the one the sum belongs to.
 */
export async function pendingRefundFen(
  q: Queryable,
  orderId: string,
  recorded: RecordedRefunds,
  except: string,
): Promise<number> {
  await settleRefunds(q, orderId, recorded)
  const rows = await q.query<{ fen: string | null }>(
    `select sum(amount_fen) as fen from akit_refunds
     where order_id = $1 and state = 'requested' and request_no <> $2`,
    [orderId, except],
  )
  return Number(rows[0]?.fen ?? 0)
}

/** The refunds an order's state records as done: their ids, and the refusals with Alipay's code. */
export interface RecordedRefunds {
  readonly succeeded: readonly string[]
  readonly failed: ReadonlyArray<{ readonly id: string; readonly code: string }>
}

/** Marks requested refunds whose result the order's state records as succeeded or failed. */
export async function settleRefunds(
  q: Queryable,
  orderId: string,
  recorded: RecordedRefunds,
): Promise<void> {
  if (recorded.succeeded.length === 0 && recorded.failed.length === 0) return
  await q.query(
    `update akit_refunds
     set state = case when refund_id = any($2::text[]) then 'succeeded' else 'failed' end,
         code = ($4::text[])[array_position($3::text[], refund_id)],
         updated_at = now()
     where order_id = $1 and state = 'requested'
       and (refund_id = any($2::text[]) or refund_id = any($3::text[]))`,
    [
      orderId,
      [...recorded.succeeded],
      recorded.failed.map((f) => f.id),
      recorded.failed.map((f) => f.code),
    ],
  )
}

/**
 * Records a refund as requested before it is sent. A retry of the same request (one
 * Idempotency-Key, one request number) takes its row again, unless Alipay's success was recorded.
 */
export async function recordRefundRequest(
  q: Queryable,
  refund: { requestNo: string; orderId: string; refundId: string; amountFen: number },
): Promise<void> {
  await q.query(
    `insert into akit_refunds (request_no, order_id, refund_id, amount_fen)
     values ($1, $2, $3, $4)
     on conflict (request_no) do update
       set amount_fen = excluded.amount_fen, refund_id = excluded.refund_id,
           state = 'requested', code = null, updated_at = now()
       where akit_refunds.order_id = excluded.order_id and akit_refunds.state <> 'succeeded'`,
    [refund.requestNo, refund.orderId, refund.refundId, refund.amountFen],
  )
}

/** Alipay refused the refund (its answer said so): its amount is no longer held. */
export async function failRefundRequest(
  q: Queryable,
  requestNo: string,
  code: string,
): Promise<void> {
  await q.query(
    `update akit_refunds set state = 'failed', code = $2, updated_at = now()
     where request_no = $1 and state = 'requested'`,
    [requestNo, code],
  )
}
