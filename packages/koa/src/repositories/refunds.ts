import type { Queryable } from '../store/types.js'

/** What an order's refund requests add up to, and what became of one of them. */
export interface RefundRequests {
  /** Asked of Alipay and not confirmed yet (the request being made left out), in fen. */
  readonly requestedFen: number
  /** Confirmed by Alipay's result, in fen. */
  readonly succeededFen: number
  /** Alipay's code, when the request being made was refused before (its number is spent). */
  readonly refusedBefore: string | undefined
}

/**
 * Settles an order's requested refunds that its state has recorded (an applied result, or a
 * refusal) and sums them, leaving out `except` (the request being made or retried). Call it under
 * the order's row lock (findOrder … forUpdate) in a transaction: the state it is given is then
 * the one the sums belong to.
 */
export async function refundRequests(
  q: Queryable,
  orderId: string,
  recorded: RecordedRefunds,
  except: string,
): Promise<RefundRequests> {
  await settleRefunds(q, orderId, recorded)
  const rows = await q.query<{
    requested: string | null
    succeeded: string | null
    refused: string | null
  }>(
    `select sum(amount_fen) filter (where state = 'requested' and request_no <> $2) as requested,
            sum(amount_fen) filter (where state = 'succeeded' and request_no <> $2) as succeeded,
            max(coalesce(code, 'REFUSED')) filter (where state = 'failed' and request_no = $2) as refused
     from akit_refunds where order_id = $1`,
    [orderId, except],
  )
  const row = rows[0]
  return {
    requestedFen: Number(row?.requested ?? 0),
    succeededFen: Number(row?.succeeded ?? 0),
    refusedBefore: row?.refused ?? undefined,
  }
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
 * Idempotency-Key, one request number) whose outcome is still unknown takes its row again; one
 * Alipay refused or confirmed keeps its row as it is (the caller refuses to send it again).
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
       where akit_refunds.order_id = excluded.order_id and akit_refunds.state = 'requested'`,
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
