import type { OrderRow } from '../orders/view.js'
import type { Queryable } from '../store/types.js'

/** A feed position: after the event of transaction `tx`, number `seq` (both decimal strings). */
export interface FeedPosition {
  readonly tx: string
  readonly seq: string
}

/** An order event of the feed, with its order as it is now. */
export interface FeedRow {
  readonly position: FeedPosition
  readonly key: string
  readonly event: string
  readonly createdAt: Date | string
  readonly order: OrderRow
}

/*
 * Why (tx, seq) and the snapshot's xmin (docs/webhooks.md, "The event feed"): a sequence number
 * is taken when a row is written, not when it commits, so an event numbered 10 can become
 * visible after one numbered 11 and a reader past 11 would never see it. Reading only events of
 * transactions older than the oldest one still running (pg_snapshot_xmin) makes what is read
 * final: a later event's transaction id is at least that xmin, so it sorts after every cursor
 * handed out. Each order's own events come in order: its next transition starts writing after
 * the last one committed, so it has a larger transaction id.
 */
const READ_FEED = `
select e.tx::text as feed_tx, e.seq::text as feed_seq, e.key as feed_key, e.event as feed_event,
  e.created_at as feed_at, o.*
from akit_order_events e join akit_orders o on o.id = e.order_id
where (e.tx, e.seq) > ($1::xid8, $2::bigint)
  and e.tx < pg_snapshot_xmin(pg_current_snapshot())
order by e.tx, e.seq
limit $3`

/** Up to `limit` final events after `after` (from the start when undefined), in feed order. */
export async function readEventFeed(
  q: Queryable,
  after: FeedPosition | undefined,
  limit: number,
): Promise<FeedRow[]> {
  const rows = await q.query<
    OrderRow & {
      feed_tx: string
      feed_seq: string
      feed_key: string
      feed_event: string
      feed_at: Date | string
    }
  >(READ_FEED, [after?.tx ?? '0', after?.seq ?? '0', limit])
  return rows.map(({ feed_tx, feed_seq, feed_key, feed_event, feed_at, ...order }) => ({
    position: { tx: feed_tx, seq: feed_seq },
    key: feed_key,
    event: feed_event,
    createdAt: feed_at,
    order: order as OrderRow,
  }))
}
