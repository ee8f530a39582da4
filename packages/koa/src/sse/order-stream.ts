import { ORDER_STREAM_EVENTS } from '@alipay-kit/client'
import type { Context } from 'koa'
import type { KitContext } from '../context.js'
import { type OrderRow, toOrderView } from '../orders/view.js'
import { findOrder } from '../repositories/orders.js'
import { withActiveQuery } from '../status/active-query.js'

/** Proxies and load balancers drop silent connections; a comment line keeps the stream open. */
const HEARTBEAT_MS = 15_000

/**
 * Server-sent events: the order's status now, then at every change from any instance (LISTEN/
 * NOTIFY), with a heartbeat; while the buyer has returned without a notification, the BFF asks
 * Alipay itself now and then. The stream is written to the socket directly: Koa's body handling
 * would report every buyer leaving the page as an error.
 */
export function streamOrder(kit: KitContext, ctx: Context, first: OrderRow): void {
  // Refused (429) before anything is written when the client or the instance holds too many.
  const release = kit.limits.streams?.take(ctx) ?? (() => {})
  ctx.req.socket.setTimeout(0)
  ctx.req.socket.setNoDelay(true)
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  ctx.respond = false
  ctx.status = 200
  ctx.res.writeHead(200)
  const stream = ctx.res
  let last = ''
  let closed = false
  let current = first
  const send = (order: OrderRow) => {
    current = order
    const data = JSON.stringify(toOrderView(order))
    if (closed || data === last) return
    last = data
    stream.write(`event: ${ORDER_STREAM_EVENTS.status}\ndata: ${data}\n\n`)
  }
  stream.write('retry: 3000\n\n')
  send(first)
  const reload = async () => {
    try {
      const order = await findOrder(kit.store, first.id)
      if (order) send(order)
    } catch (error) {
      kit.config.logger.warn(
        { sse: { orderId: first.id }, err: { message: (error as Error).message } },
        'sse reload failed',
      )
    }
  }
  const unsubscribe = kit.events.subscribe(first.id, () => void reload())
  const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS)
  // Ask Alipay only for an order whose buyer came back while it is still unpaid (the return is
  // announced like any change, so idle streams cost the database nothing).
  const poll = setInterval(
    () => {
      if (
        current.returned_at === null ||
        current.state.paid ||
        current.state.trade !== 'WAIT_BUYER_PAY'
      )
        return
      void withActiveQuery(kit, current)
    },
    Math.max(1_000, Math.floor(kit.config.queryAfterReturnMs / 2)),
  )
  heartbeat.unref()
  poll.unref()
  const close = () => {
    if (closed) return
    closed = true
    release()
    kit.streams.delete(close)
    unsubscribe()
    clearInterval(heartbeat)
    clearInterval(poll)
    if (!stream.writableEnded) stream.end()
  }
  kit.streams.add(close)
  ctx.req.on('close', close)
  stream.on('close', close)
  stream.on('error', close)
}
