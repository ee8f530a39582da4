import { timingSafeEqual } from 'node:crypto'
import type { AddressView, CreateOrderResult, PayService } from '@alipay-kit/client'
import {
  AlipayInputError,
  initialPaymentState,
  MAX_TRADE_FEN,
  type PaymentMode,
} from '@alipay-kit/core'
import type Router from '@koa/router'
import type { Context } from 'koa'
import { z } from 'zod'
import { gatewayFor, gatewayKindOf, type KitContext } from '../context.js'
import { readJson } from '../http/body.js'
import { ApiError } from '../http/errors.js'
import { hashSecret, newSecret } from '../http/session.js'
import { refreshFromAlipay } from '../notify/process.js'
import { findOrder, insertOrder, listOrders, newOrderId } from '../orders/repository.js'
import { type OrderRow, toOrderView } from '../orders/view.js'
import { PricingError } from '../pricing.js'
import { itemSchema, tokenValid } from './session.js'

const region = z.object({
  name: z.string().min(1).max(64),
  code: z
    .string()
    .regex(/^\d{2,12}$/)
    .nullable(),
})
const addressSchema = z
  .object({
    recipient: z.string().trim().min(1).max(64),
    phone: z.string().regex(/^[\d+\s-]{5,20}$/, { message: 'must be a phone number' }),
    province: region,
    city: region,
    district: region,
    street: z.string().trim().min(1).max(200),
    postcode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable()
      .optional(),
  })
  .strict()

const SERVICES = ['instant', 'escrow', 'dual', 'digital', 'donation', 'page', 'wap'] as const
const createSchema = z
  .object({
    items: z.array(itemSchema).min(1, { message: 'must hold at least one item' }).max(50),
    service: z.enum(SERVICES, { message: `must be one of ${SERVICES.join(', ')}` }),
    address: addressSchema.optional(),
  })
  .strict()

/** How the buyer pays, where the service decides it; the dual interface leaves it to the buyer. */
function modeOf(service: PayService): PaymentMode | undefined {
  if (service === 'escrow') return 'escrow'
  if (service === 'dual') return undefined
  return 'instant'
}

function sameAddress(a: z.output<typeof addressSchema>, b: AddressView | undefined): boolean {
  return (
    b !== undefined &&
    a.recipient === b.recipient &&
    a.street === b.street &&
    a.province.name === b.province.name &&
    a.district.name === b.district.name
  )
}

/** Whether this request may see the order: its access token, its browser session, or its member. */
export async function mayRead(kit: KitContext, ctx: Context, order: OrderRow): Promise<boolean> {
  const token = typeof ctx.query.token === 'string' ? ctx.query.token : ctx.get('x-order-token')
  if (token) {
    const given = Buffer.from(hashSecret(token))
    const stored = Buffer.from(order.access_token_hash)
    if (given.length === stored.length && timingSafeEqual(given, stored)) return true
  }
  const session = await kit.sessions.load(ctx)
  if (!session) return false
  if (order.session_hash !== null && order.session_hash === session.hash) return true
  const member = session.data.member
  return member !== undefined && order.user_id === member.userId
}

/** The order, if this request may read it; otherwise 404 (an unreadable order is not confirmed to exist). */
async function readableOrder(kit: KitContext, ctx: Context): Promise<OrderRow> {
  const id = ctx.params.id ?? ''
  const order = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await findOrder(kit.store, id) : undefined
  if (!order || !(await mayRead(kit, ctx, order)))
    throw new ApiError(404, 'NOT_FOUND', `No order ${id} that this browser may see`)
  return order
}

/** Asks Alipay when the buyer returned some seconds ago and no notification came; never fails the request. */
async function withActiveQuery(kit: KitContext, order: OrderRow): Promise<OrderRow> {
  if (order.returned_at === null || order.state.paid || order.state.trade !== 'WAIT_BUYER_PAY')
    return order
  try {
    return (await refreshFromAlipay(kit, order)).order
  } catch (error) {
    kit.config.logger.warn(
      { query: { orderId: order.id }, err: { message: (error as Error).message } },
      'active query failed',
    )
    return order
  }
}

/** POST /api/orders, GET /api/orders, GET /api/orders/:id, GET /api/orders/:id/events (SSE). */
export function orderRoutes(router: Router, kit: KitContext): void {
  router.post('/api/orders', async (ctx) => {
    const input = await readJson(ctx, createSchema)
    if (!kit.config.services.includes(input.service))
      throw new ApiError(
        400,
        'SERVICE_UNAVAILABLE',
        `This shop does not offer "${input.service}"; it offers ${kit.config.services.join(', ')}`,
        'service',
      )
    const session = await kit.sessions.ensure(ctx)
    const member = session.data.member
    let priced: Awaited<ReturnType<typeof kit.pricing>>
    try {
      priced = await kit.pricing(input.items, { service: input.service, userId: member?.userId })
    } catch (error) {
      if (error instanceof PricingError)
        throw new ApiError(400, 'PRICING', error.message, error.field)
      throw error
    }
    if (
      !Number.isSafeInteger(priced.totalFen) ||
      priced.totalFen <= 0 ||
      priced.totalFen > MAX_TRADE_FEN
    )
      throw new Error(
        `pricing returned an impossible total ${priced.totalFen} fen; it must be whole fen in (0, ${MAX_TRADE_FEN}]`,
      )
    const address: AddressView | null = input.address
      ? {
          ...input.address,
          postcode: input.address.postcode ?? null,
          source: sameAddress(input.address, session.data.address) ? 'alipay' : 'manual',
          confidence: session.data.address?.confidence ?? 'exact',
        }
      : null
    const kind = gatewayKindOf(input.service)
    const id = newOrderId()
    const facts = {
      id,
      service: input.service,
      subject: priced.subject,
      amountFen: priced.totalFen,
      tradeNo: null,
      address,
    }
    // Build (and so validate) the signed request before storing anything: no half-written order.
    let payment: CreateOrderResult['payment']
    try {
      payment = gatewayFor(kit, kind).startPayment(
        facts,
        { notifyUrl: kit.urls.notify(kind), returnUrl: kit.urls.paymentReturn(kind) },
        member?.via === 'quick_login' && tokenValid(member) ? member.token : undefined,
      )
    } catch (error) {
      if (error instanceof AlipayInputError)
        throw new ApiError(400, 'INVALID_INPUT', error.message, error.field)
      throw error
    }
    const accessToken = newSecret(24)
    const row = await insertOrder(kit.store, {
      id,
      accessTokenHash: hashSecret(accessToken),
      gateway: kind,
      service: input.service,
      userId: member?.userId,
      sessionHash: session.hash,
      subject: priced.subject,
      amountFen: priced.totalFen,
      items: [...priced.lines],
      address,
      state: initialPaymentState(modeOf(input.service)),
    })
    kit.config.logger.info(
      { order: { id, service: input.service, amountFen: priced.totalFen } },
      'order created',
    )
    const body: CreateOrderResult = { order: toOrderView(row), accessToken, payment }
    ctx.status = 201
    ctx.body = body
  })

  router.get('/api/orders', async (ctx) => {
    const session = await kit.sessions.load(ctx)
    const rows = await listOrders(kit.store, {
      userId: session?.data.member?.userId,
      sessionHash: session?.hash,
    })
    ctx.set('Cache-Control', 'no-store')
    ctx.body = { orders: rows.map(toOrderView) }
  })

  router.get('/api/orders/:id', async (ctx) => {
    const order = await withActiveQuery(kit, await readableOrder(kit, ctx))
    ctx.set('Cache-Control', 'no-store')
    ctx.body = toOrderView(order)
  })

  router.get('/api/orders/:id/events', async (ctx) => {
    const order = await readableOrder(kit, ctx)
    streamOrder(kit, ctx, order)
  })
}

/**
 * Server-sent events: the order's status now, then at every change from any instance (LISTEN/
 * NOTIFY), with a heartbeat; while the buyer has returned without a notification, the BFF asks
 * Alipay itself now and then.
 */
function streamOrder(kit: KitContext, ctx: Context, first: OrderRow): void {
  ctx.req.socket.setTimeout(0)
  ctx.req.socket.setNoDelay(true)
  ctx.set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  // Written to the socket directly: Koa's body handling would report every buyer leaving the page as an error.
  ctx.respond = false
  ctx.status = 200
  ctx.res.writeHead(200)
  const stream = ctx.res
  let last = ''
  let closed = false
  let current = first
  const send = (order: OrderRow) => {
    current = order
    const view = toOrderView(order)
    const data = JSON.stringify(view)
    if (closed || data === last) return
    last = data
    stream.write(`event: status\ndata: ${data}\n\n`)
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
  const heartbeat = setInterval(() => stream.write(': ping\n\n'), 15_000)
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
