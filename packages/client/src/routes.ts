/*
 * Where the BFF answers, as Koa router patterns: the BFF mounts these very strings and the
 * clients fill them in with `pathTo`, so a path is written once. The SSE event names and the
 * react-query keys of the kit live here for the same reason.
 */

export const ROUTES = {
  session: '/api/session',
  logout: '/api/logout',
  login: '/api/login',
  cart: '/api/cart',
  addressSelect: '/api/addresses/select',
  addressSelected: '/api/addresses/selected',
  orders: '/api/orders',
  order: '/api/orders/:id',
  orderEvents: '/api/orders/:id/events',
  orderQr: '/api/orders/:id/qr',
  merchant: '/api/merchant',
  merchantOrders: '/api/merchant/orders',
  merchantOrder: '/api/merchant/orders/:id',
  merchantQuery: '/api/merchant/orders/:id/query',
  merchantClose: '/api/merchant/orders/:id/close',
  merchantRefund: '/api/merchant/orders/:id/refund',
  merchantShip: '/api/merchant/orders/:id/ship',
  merchantNotifications: '/api/merchant/notifications',
  merchantReconciliations: '/api/merchant/reconciliations',
  merchantReconciliation: '/api/merchant/reconciliations/:id',
  merchantWebhooks: '/api/merchant/webhooks',
  merchantEvents: '/api/merchant/events',
  merchantWebhookResend: '/api/merchant/webhooks/:id/resend',
  health: '/healthz',
  /** Prometheus metrics, for a scraper with the metrics token (served when the BFF has one). */
  metrics: '/metrics',
} as const

type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

/**
 * A route's path with its `:params` filled in (each percent-encoded).
 *
 * @example pathTo(ROUTES.order, { id: 'AK20261201X' }) // '/api/orders/AK20261201X'
 */
export function pathTo<P extends string>(
  route: P,
  ...[params]: [ParamsOf<P>] extends [never] ? [] : [Record<ParamsOf<P>, string>]
): string {
  if (!params) return route
  return route.replace(/:([A-Za-z]+)/g, (_match, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name] ?? ''),
  )
}

/** The events of an order's status stream (GET ROUTES.orderEvents, text/event-stream). */
export const ORDER_STREAM_EVENTS = {
  /** Carries the order's OrderView as JSON, now and at every change. */
  status: 'status',
} as const

/** The react-query keys the React kit caches the BFF's answers under. */
export const QUERY_KEYS = {
  session: ['alipay-kit', 'session'] as const,
  selectedAddress: ['alipay-kit', 'address', 'selected'] as const,
  order: (id: string) => ['alipay-kit', 'order', id] as const,
}
