import type {
  EventFeedPage,
  MerchantOrderView,
  NotificationLogEntry,
  NotificationOutcome,
  OrderView,
  ReconciliationView,
  RefundInput,
  ShipInput,
  WebhookDeliveryView,
} from './contract.js'
import { type ClientOptions, createRequester } from './request.js'
import { pathTo, ROUTES } from './routes.js'

/** An `Idempotency-Key` for a state-changing call: e.g. `crypto.randomUUID()`, kept for its retries. */
export interface Idempotent {
  readonly idempotencyKey?: string
}

const keyHeader = (options?: Idempotent) =>
  options?.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : undefined

/** The merchant operations, authenticated by the merchant API secret (never ship it to buyers). */
export interface MerchantClient {
  orders(limit?: number): Promise<OrderView[]>
  order(id: string): Promise<MerchantOrderView>
  /** Asks Alipay for the trade's status and applies it. */
  query(id: string): Promise<OrderView>
  /**
   * The state-changing calls take an idempotency key: retried with the same key (after a
   * timeout, say), the BFF answers the first answer and does nothing again; a refund's request
   * number at Alipay is derived from it, so Alipay dedupes it too. Keys are kept 48 hours.
   */
  close(id: string, options?: Idempotent): Promise<OrderView>
  refund(id: string, input?: RefundInput, options?: Idempotent): Promise<OrderView>
  ship(id: string, input: ShipInput, options?: Idempotent): Promise<OrderView>
  notifications(filter?: {
    outcome?: NotificationOutcome
    limit?: number
  }): Promise<NotificationLogEntry[]>
  /** The daily bill's reconciliations, newest first. */
  reconciliations(limit?: number): Promise<ReconciliationView[]>
  /** One reconciliation with its differences. */
  reconciliation(id: string): Promise<ReconciliationView>
  /** Reconciles a day (yyyy-MM-dd, China time, before today) now. */
  reconcile(date: string): Promise<ReconciliationView>
  /** Webhook deliveries, newest first, with their tries. */
  webhooks(limit?: number): Promise<WebhookDeliveryView[]>
  /** Sends a delivery again now (its event id stays the same: receivers dedupe on it). */
  resendWebhook(id: string, options?: Idempotent): Promise<WebhookDeliveryView>
  /**
   * Order events after a cursor, oldest first: the same events and ids as the webhooks, for a
   * consumer that pulls (docs/webhooks.md, "The event feed"). Keep `next` and pass it as `after`.
   */
  events(options?: {
    readonly after?: string | null
    readonly limit?: number
  }): Promise<EventFeedPage>
}

/**
 * A typed client for /api/merchant.
 *
 * @example
 * const merchant = createMerchantClient({ baseUrl: 'http://localhost:3000', secret: process.env.MERCHANT_API_SECRET })
 * await merchant.ship('AK20261125X1', { logisticsName: '顺丰' })
 * // A refund that may be retried after a timeout: one key, one refund.
 * const key = crypto.randomUUID()
 * await merchant.refund('AK20261125X1', { amount: '10.00' }, { idempotencyKey: key })
 * // Pull every order event since the last run (keep `next` somewhere durable).
 * let after = null
 * for (let page; (page = await merchant.events({ after })).events.length > 0; after = page.next)
 *   for (const event of page.events) console.log(event.id, event.type)
 */
export function createMerchantClient(
  options: ClientOptions & { readonly secret: string },
): MerchantClient {
  const { call } = createRequester({
    ...options,
    headers: { ...options.headers, authorization: `Bearer ${options.secret}` },
  })
  return {
    orders: async (limit = 50) =>
      (await call<{ orders: OrderView[] }>('GET', `${ROUTES.merchantOrders}?limit=${limit}`))
        .orders,
    order: (id) => call('GET', pathTo(ROUTES.merchantOrder, { id })),
    query: (id) => call('POST', pathTo(ROUTES.merchantQuery, { id }), {}),
    close: (id, options) =>
      call('POST', pathTo(ROUTES.merchantClose, { id }), {}, undefined, keyHeader(options)),
    refund: (id, input = {}, options) =>
      call('POST', pathTo(ROUTES.merchantRefund, { id }), input, undefined, keyHeader(options)),
    ship: (id, input, options) =>
      call('POST', pathTo(ROUTES.merchantShip, { id }), input, undefined, keyHeader(options)),
    reconciliations: async (limit = 30) =>
      (
        await call<{ reconciliations: ReconciliationView[] }>(
          'GET',
          `${ROUTES.merchantReconciliations}?limit=${limit}`,
        )
      ).reconciliations,
    reconciliation: (id) => call('GET', pathTo(ROUTES.merchantReconciliation, { id })),
    reconcile: (date) => call('POST', ROUTES.merchantReconciliations, { date }),
    webhooks: async (limit = 100) =>
      (
        await call<{ deliveries: WebhookDeliveryView[] }>(
          'GET',
          `${ROUTES.merchantWebhooks}?limit=${limit}`,
        )
      ).deliveries,
    resendWebhook: (id, options) =>
      call('POST', pathTo(ROUTES.merchantWebhookResend, { id }), {}, undefined, keyHeader(options)),
    events: (options = {}) => {
      const query = new URLSearchParams()
      if (options.after) query.set('after', options.after)
      query.set('limit', String(options.limit ?? 100))
      return call('GET', `${ROUTES.merchantEvents}?${query}`)
    },
    notifications: async (filter = {}) => {
      const query = new URLSearchParams()
      if (filter.outcome) query.set('outcome', filter.outcome)
      query.set('limit', String(filter.limit ?? 100))
      return (
        await call<{ notifications: NotificationLogEntry[] }>(
          'GET',
          `${ROUTES.merchantNotifications}?${query}`,
        )
      ).notifications
    },
  }
}
