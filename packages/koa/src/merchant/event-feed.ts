import type { EventFeedPage } from '@alipay-kit/client'
import type { KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { type FeedPosition, readEventFeed } from '../repositories/event-feed.js'
import { toOrderEvent } from './order-event.js'

/** A cursor is `<transaction id>.<sequence>`: opaque to consumers, who only pass it back. */
const CURSOR = /^(\d{1,20})\.(\d{1,19})$/

const cursorOf = (position: FeedPosition) => `${position.tx}.${position.seq}`

function parseCursor(after: string | undefined): FeedPosition | undefined {
  if (after === undefined || after === '') return undefined
  const match = CURSOR.exec(after)
  if (!match)
    throw new ApiError(
      400,
      'INVALID_INPUT',
      `after must be a cursor this feed gave (an event's "cursor" or a page's "next"), not ${JSON.stringify(after.slice(0, 40))}; leave it out to read from the start`,
      'after',
    )
  return { tx: match[1] as string, seq: match[2] as string }
}

/** GET /api/merchant/events (docs/webhooks.md, "The event feed"). */
export async function eventFeedPage(
  kit: KitContext,
  query: { readonly after?: string | undefined; readonly limit?: string | undefined },
): Promise<EventFeedPage> {
  const after = parseCursor(query.after)
  const limit = Math.min(Math.max(Number(query.limit) || 100, 1), 1000)
  // One more than asked says whether more are there already.
  const rows = await readEventFeed(kit.store, after, limit + 1)
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    events: page.map((row) => ({
      ...toOrderEvent(
        { orderId: row.order.id, key: row.key, event: row.event, createdAt: row.createdAt },
        row.order,
      ),
      cursor: cursorOf(row.position),
    })),
    next: last ? cursorOf(last.position) : (query.after ?? null),
    hasMore: rows.length > limit,
  }
}
