import { ORDER_CHANNEL } from '../events/channel.js'
import type { OrderRow } from '../orders/view.js'
import type { Queryable } from '../store/types.js'

export async function findOrder(
  q: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<OrderRow | undefined> {
  const rows = await q.query<OrderRow>(
    `select * from akit_orders where id = $1${options.forUpdate ? ' for update' : ''}`,
    [id],
    options.forUpdate ? 'akit_order_locked' : 'akit_order',
  )
  return rows[0]
}

/** The orders of these Alipay trade numbers (a refund batch's result names only those). */
export async function findOrdersByTradeNo(
  q: Queryable,
  tradeNos: readonly string[],
): Promise<OrderRow[]> {
  if (tradeNos.length === 0) return []
  return q.query<OrderRow>(
    'select * from akit_orders where trade_no = any($1::text[])',
    [[...tradeNos]],
    'akit_orders_by_trade_no',
  )
}

export interface NewOrder {
  readonly id: string
  readonly accessTokenHash: string
  readonly gateway: OrderRow['gateway']
  readonly service: OrderRow['service']
  readonly userId: string | undefined
  readonly sessionHash: string | undefined
  readonly subject: string
  readonly amountFen: number
  readonly items: OrderRow['items']
  readonly address: OrderRow['address']
  readonly state: OrderRow['state']
  readonly createdAt: Date
  readonly expiresAt: Date
  /** When the sweep first asks Alipay about it. */
  readonly sweepAt: Date
}

export async function insertOrder(q: Queryable, order: NewOrder): Promise<OrderRow> {
  const rows = await q.query<OrderRow>(
    `insert into akit_orders
       (id, access_token_hash, gateway, service, user_id, session_hash, subject, amount_fen, items,
        address, state, trade_status, created_at, updated_at, expires_at, sweep_next_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11::jsonb, $12, $13, $13, $14, $15)
     returning *`,
    [
      order.id,
      order.accessTokenHash,
      order.gateway,
      order.service,
      order.userId ?? null,
      order.sessionHash ?? null,
      order.subject,
      order.amountFen,
      JSON.stringify(order.items),
      order.address === null ? null : JSON.stringify(order.address),
      JSON.stringify(order.state),
      order.state.trade,
      order.createdAt,
      order.expiresAt,
      order.sweepAt,
    ],
  )
  return rows[0] as OrderRow
}

/** The orders a buyer may see: those of the member, or else of this browser session. */
export async function listOrders(
  q: Queryable,
  owner: { userId?: string | undefined; sessionHash?: string | undefined },
  limit = 50,
): Promise<OrderRow[]> {
  if (!owner.userId && !owner.sessionHash) return []
  return q.query<OrderRow>(
    `select * from akit_orders
     where ($1::text is not null and user_id = $1) or ($2::text is not null and session_hash = $2)
     order by created_at desc limit $3`,
    [owner.userId ?? null, owner.sessionHash ?? null, limit],
  )
}

export async function listAllOrders(q: Queryable, limit: number): Promise<OrderRow[]> {
  return q.query<OrderRow>('select * from akit_orders order by created_at desc limit $1', [limit])
}

/**
 * Notes that the buyer came back from Alipay (the clock for the active query starts) and, the
 * first time, announces it like any change so open status streams show "being confirmed" and
 * start asking Alipay.
 */
export async function markReturned(q: Queryable, id: string): Promise<void> {
  await q.query(
    `with marked as (
       update akit_orders set returned_at = now() where id = $1 and returned_at is null returning id
     )
     select pg_notify('${ORDER_CHANNEL}', id) from marked`,
    [id],
  )
}

/**
 * Claims the right to ask Alipay about an order now: one instance at a time, at most every
 * `intervalMs`, and only `afterReturnMs` after the buyer came back without a notification.
 */
export async function claimActiveQuery(
  q: Queryable,
  id: string,
  afterReturnMs: number,
  intervalMs: number,
): Promise<boolean> {
  const rows = await q.query(
    `update akit_orders set queried_at = now()
     where id = $1 and returned_at is not null
       and trade_status = 'WAIT_BUYER_PAY'
       and returned_at <= now() - make_interval(secs => $2::double precision / 1000)
       and (queried_at is null or queried_at <= now() - make_interval(secs => $3::double precision / 1000))
     returning id`,
    [id, afterReturnMs, intervalMs],
  )
  return rows.length > 0
}

/** Orders by id, for a batch of status updates (one round trip for many notifications). */
export async function findOrders(q: Queryable, ids: readonly string[]): Promise<OrderRow[]> {
  return q.query<OrderRow>(
    'select * from akit_orders where id = any($1::text[])',
    [ids],
    'akit_orders_batch',
  )
}

/** After login: this browser's anonymous orders join the member, under the new session id. */
export async function adoptSessionOrders(
  q: Queryable,
  from: { sessionHash: string },
  /** userId null: the orders follow the browser's new session but join no member's account. */
  to: { sessionHash: string | null; userId: string | null },
): Promise<void> {
  await q.query(
    'update akit_orders set session_hash = $2, user_id = coalesce(user_id, $3) where session_hash = $1',
    [from.sessionHash, to.sessionHash, to.userId],
  )
}

/** The milestones applied to an order, oldest first. */
export async function listOrderEvents(
  q: Queryable,
  orderId: string,
): Promise<Array<{ event: string; at: string }>> {
  const rows = await q.query<{ event: string; created_at: Date | string }>(
    'select event, created_at from akit_order_events where order_id = $1 order by created_at, key',
    [orderId],
  )
  return rows.map((row) => ({ event: row.event, at: new Date(row.created_at).toISOString() }))
}
