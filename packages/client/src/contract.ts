/*
 * The HTTP contract between the BFF (@alipay-kit/koa) and the browser (@alipay-kit/react, your
 * own SPA). Both sides import these types from here, so a change to a response shows up as a type
 * error on the other side instead of a bug in production. Amounts travel as yuan strings ("128.00")
 * and integer fen, never as floating-point numbers.
 */

import type { Gateway, PAY_SERVICES, PayService } from './services.js'
import type { WebhookEvent } from './webhook.js'

export type Locale = 'zh-CN' | 'en'

/** How the buyer logged in: the legacy quick login (with its 30-minute token) or Open Platform OAuth. */
export type LoginMethod = 'quick_login' | 'oauth'

export interface SessionUser {
  /** Alipay's user id (2088…): the member's identity. Never the email, which the buyer can change. */
  readonly userId: string
  readonly realName: string
  /** How the shop must greet the member: "支付宝用户" + real_name (docs/protocol.md, "Quick login"). */
  readonly displayName: string
  readonly via: LoginMethod
  /** Whether the quick-login token is still valid, so Alipay's cashier will skip its own login. */
  readonly tokenValid: boolean
}

/** GET /api/session */
export interface SessionView {
  readonly user: SessionUser | null
  /** The payment services this BFF offers. */
  readonly services: readonly PayService[]
  /** The login methods this BFF offers. */
  readonly loginMethods: readonly LoginMethod[]
  /**
   * True after an Alipay login: Alipay must then be the only online payment method on offer
   * (docs/protocol.md, "Quick login"); a shop with other methods hides them.
   */
  readonly alipayOnly: boolean
}

/** A region with its national statistics division code (null when it could not be matched). */
export interface RegionPart {
  readonly name: string
  readonly code: string | null
}

/** How sure the region match is (see matchRegion in @alipay-kit/core). */
export type RegionConfidence =
  | 'exact'
  | 'normalized'
  | 'contains'
  | 'prefix'
  | 'ambiguous'
  | 'partial'
  | 'none'

/** Who receives the goods and where: what every form of an address has. */
export interface AddressLines {
  readonly recipient: string
  readonly phone: string
  readonly province: RegionPart
  readonly city: RegionPart
  readonly district: RegionPart
  readonly street: string
}

/** A delivery address as the shop keeps it. */
export interface AddressView extends AddressLines {
  readonly postcode: string | null
  /** Where it came from: the buyer's Alipay address book, or typed in the shop's form. */
  readonly source: 'alipay' | 'manual'
  readonly confidence: RegionConfidence
}

/** An address sent with an order (the BFF checks it again). */
export interface AddressInput extends AddressLines {
  readonly postcode?: string | null
}

export interface OrderItemInput {
  readonly sku: string
  /** A whole number from 1 to 999. */
  readonly quantity: number
}

/** POST /api/orders */
export interface CreateOrderInput<S extends PayService = PayService> {
  readonly items: readonly OrderItemInput[]
  readonly service: S
  readonly address?: AddressInput
}

/** A line of an order, priced by the merchant's catalog on the server. */
export interface OrderLine {
  readonly sku: string
  readonly name: string
  readonly quantity: number
  /** Unit price, yuan. */
  readonly price: string
}

/**
 * Where an order stands, for people: derived from Alipay's trade and refund statuses.
 * `final` says whether more changes are expected soon (a poller stops there).
 */
export type OrderPhase =
  | 'waiting'
  | 'paid'
  | 'shipped'
  | 'finished'
  | 'closed'
  | 'refund_requested'
  | 'refund_refused'
  | 'refund_in_progress'
  | 'refunded'
  /** Held for the shop's review: Alipay reported money the shop cannot accept on its own. */
  | 'review'

export const ORDER_PHASES: readonly OrderPhase[] = [
  'waiting',
  'paid',
  'shipped',
  'finished',
  'closed',
  'refund_requested',
  'refund_refused',
  'refund_in_progress',
  'refunded',
  'review',
]

/** GET /api/orders/:id, and each SSE `status` event. */
export interface OrderView {
  /** The merchant order number sent to Alipay as out_trade_no. */
  readonly id: string
  readonly phase: OrderPhase
  /** No further change is expected soon: closed, refunded, finished, or an instant payment made. */
  readonly final: boolean
  readonly tradeStatus: string
  readonly refundStatus: string | null
  readonly paid: boolean
  readonly shipped: boolean
  /** Escrow or instant; null until a dual-interface buyer has chosen. */
  readonly mode: 'instant' | 'escrow' | null
  readonly service: PayService
  readonly gateway: Gateway
  readonly subject: string
  /** Total, yuan ("128.00"). */
  readonly amount: string
  readonly amountFen: number
  /** Refunded so far, yuan. */
  readonly refunded: string
  /**
   * Alipay charged another amount than the order's, for a reason its notification states: the
   * seller changed the price at Alipay (PRICE_ADJUSTED) or the trade names a DISCOUNT.
   */
  readonly adjustment: {
    readonly reason: 'PRICE_ADJUSTED' | 'DISCOUNT'
    /** What the buyer was charged, yuan. */
    readonly charged: string
    readonly detail: string
  } | null
  /**
   * Why the order needs a person, if it does: AMOUNT_MISMATCH (Alipay reported an amount nothing
   * explains; the order is not marked paid) or PAID_AFTER_CLOSE (the buyer paid after the shop
   * had closed the order: it is marked paid; fulfil it or refund it).
   */
  readonly review: {
    readonly code: 'AMOUNT_MISMATCH' | 'PAID_AFTER_CLOSE'
    readonly reason: string
    /** What Alipay says it charged, yuan, when it said. */
    readonly charged: string | null
  } | null
  /** Refunds Alipay refused, oldest first, with its code (e.g. TRADE_STATUS_ERROR). */
  readonly refundFailures: ReadonlyArray<{
    readonly id: string
    readonly amount: string
    readonly code: string
  }>
  readonly items: readonly OrderLine[]
  readonly address: AddressView | null
  /** Alipay's trade number, once Alipay has reported one. */
  readonly tradeNo: string | null
  /**
   * The buyer came back from Alipay but no notification has arrived yet: the BFF is asking Alipay
   * itself. Show "payment being confirmed" rather than "unpaid".
   */
  readonly confirming: boolean
  readonly createdAt: string
  /** When the payment stops being payable (Alipay closes the trade; the kit closes the order). */
  readonly expiresAt: string
  /** When the buyer paid, as Alipay says; null while unpaid. */
  readonly paidAt: string | null
  readonly updatedAt: string
}

/** How to send the buyer to Alipay's cashier: open `url`, or (preferred on desktop) POST `form`. */
export interface CashierStart {
  readonly kind: 'cashier'
  readonly url: string
  readonly form: {
    readonly action: string
    readonly charset: string
    readonly fields: Readonly<Record<string, string>>
  }
}

/** A QR code for the buyer to scan with the Alipay app (the `qr` service). */
export interface QrStart {
  readonly kind: 'qr'
  /** The code's content, as Alipay answered it (draw it as a QR code; a phone may also open it). */
  readonly qrCode: string
  /** When the code stops being payable (ISO 8601); a new one can be asked for the same order. */
  readonly expiresAt: string
}

/** How the payment starts, by the service's start kind (see PAY_SERVICES). */
export type PaymentStart = CashierStart | QrStart

/** The payment start a service answers with (for a union of services, the union of theirs). */
export type PaymentStartOf<S extends PayService> = S extends PayService
  ? (typeof PAY_SERVICES)[S]['start'] extends 'qr'
    ? QrStart
    : CashierStart
  : never

/** POST /api/orders answer. */
export interface CreateOrderResult<S extends PayService = PayService> {
  readonly order: OrderView
  /**
   * Lets this browser read the order without a session (keep it in sessionStorage); the BFF
   * stores only its hash.
   */
  readonly accessToken: string
  readonly payment: PaymentStartOf<S>
}

/** A gateway or input error explained in both languages (the core's catalog entry). */
export interface ErrorExplanation {
  readonly cause: string
  readonly fix: string
}

/** Every non-2xx JSON answer. */
export interface ApiErrorBody {
  readonly error: {
    /** A stable code: an Alipay code (ILLEGAL_SIGN, ACQ.TRADE_HAS_SUCCESS…) or the BFF's own (INVALID_INPUT, NOT_LOGGED_IN…). */
    readonly code: string
    /** For developers, in English. */
    readonly message: string
    /** The field at fault, for input errors. */
    readonly field?: string
    readonly 'zh-CN': ErrorExplanation
    readonly en: ErrorExplanation
  }
}

/** GET/PUT /api/cart: the session's cart, kept across login. */
export interface CartView {
  readonly items: readonly OrderItemInput[]
}

/**
 * What became of one notification (or return, or active query), as the merchant's log keeps it.
 * `verified`: a return redirect whose signature checked out (shown to the buyer, never applied).
 */
export type NotificationOutcome = 'applied' | 'duplicate' | 'stale' | 'rejected' | 'verified'

/** GET /api/merchant/notifications */
export interface NotificationLogEntry {
  readonly id: number
  readonly receivedAt: string
  readonly gateway: Gateway | null
  /** notify: Alipay's POST; return: the buyer's redirect; query: the BFF asked Alipay. */
  readonly channel: 'notify' | 'return' | 'query'
  readonly orderId: string | null
  readonly notifyId: string | null
  readonly tradeStatus: string | null
  readonly refundStatus: string | null
  readonly outcome: NotificationOutcome
  /** For rejections: MALFORMED, BAD_SIGNATURE, AMOUNT_MISMATCH, … */
  readonly code: string | null
  readonly reason: string | null
  /**
   * False for a message whose signature did not verify: anyone may have sent it, so the entry
   * keeps only its digest, size and a few fields cut short, and `orderId` is the order it
   * claimed (an order's view lists a few of those after its own entries).
   */
  readonly verified: boolean
  /**
   * How many messages this entry stands for: the same bytes again within the hour count here,
   * and so do unverified messages past `retention.refusedPerMinute` (one entry per minute and code).
   */
  readonly repeats: number
  /** When the last of them came (`receivedAt` when there was one). */
  readonly lastAt: string
  /** SHA-256 (hex) of the raw message, for returns and unverified messages. */
  readonly digest: string | null
  /** The raw message's size in bytes, where kept. */
  readonly bytes: number | null
}

/** POST /api/merchant/orders/:id/refund */
export interface RefundInput {
  /** Yuan; default: what is left to refund. */
  readonly amount?: string
  readonly reason?: string
}

/** POST /api/merchant/orders/:id/ship */
export interface ShipInput {
  readonly logisticsName: string
  readonly invoiceNo?: string
  readonly transportType?: 'EXPRESS' | 'POST' | 'EMS'
}

/** GET /api/merchant/orders/:id */
export interface MerchantOrderView {
  readonly order: OrderView
  readonly buyerId: string | null
  readonly events: ReadonlyArray<{ readonly event: string; readonly at: string }>
  readonly notifications: readonly NotificationLogEntry[]
}

/** GET /healthz */
export interface HealthView {
  readonly ok: boolean
  readonly store: string
}

/** The header every browser request carries; state-changing routes refuse requests without it (CSRF). */
export const CSRF_HEADER = 'x-alipay-kit'

/**
 * GET /api/merchant/reconciliations (a list, newest first) and …/:id (with its differences): the
 * daily bill matched against the orders (koa README, "The daily bill").
 */
export interface ReconciliationView {
  readonly id: string
  /** The bill's day, yyyy-MM-dd, China time. */
  readonly date: string
  /**
   * running; matched: every line agrees (or a query settled it); differences: some need a person;
   * no_bill: Alipay has no bill for the day (not generated yet, or nothing happened); failed: see `error`.
   */
  readonly status: 'running' | 'matched' | 'differences' | 'no_bill' | 'failed'
  readonly startedAt: string
  readonly finishedAt: string | null
  /** Lines in Alipay's bill (payments and refunds). */
  readonly billLines: number
  readonly ordersChecked: number
  readonly differences: number
  /** Differences a query to Alipay settled. */
  readonly settled: number
  readonly error: string | null
  /** Only on …/:id. */
  readonly items?: ReadonlyArray<{
    readonly orderId: string
    /** missing_here, unpaid_here, missing_at_alipay, amount, refund. */
    readonly kind: 'missing_here' | 'unpaid_here' | 'missing_at_alipay' | 'amount' | 'refund'
    readonly tradeNo: string | null
    /** Yuan, as Alipay's bill says; null when it has none. */
    readonly alipayAmount: string | null
    readonly localAmount: string | null
    readonly detail: string
    readonly settled: boolean
  }>
}

/** GET /api/merchant/webhooks: one event's delivery to one URL (newest first). */
export interface WebhookDeliveryView {
  readonly id: string
  /** The event's id, as the webhook's body carries it (the same on every try and resend). */
  readonly eventId: string
  readonly type: string
  readonly orderId: string
  readonly url: string
  /** pending (to be tried, again), delivered (a 2xx came), failed (retried until its time ran out). */
  readonly state: 'pending' | 'delivered' | 'failed'
  readonly attempts: number
  readonly nextAt: string
  readonly createdAt: string
  readonly deliveredAt: string | null
  readonly lastStatus: number | null
  readonly lastError: string | null
}

/**
 * GET /api/merchant/events?after=<cursor>&limit=: order events for a consumer that pulls instead
 * of receiving webhooks (docs/webhooks.md, "The event feed"). The same events and ids as the
 * webhooks; an event appears once it is final, and a cursor never skips one.
 */
export interface EventFeedPage {
  /** Oldest first, at most `limit` (default 100, at most 1,000). */
  readonly events: ReadonlyArray<WebhookEvent & { readonly cursor: string }>
  /** Pass as `after` next time: the last event's cursor, or the `after` given when none came. */
  readonly next: string | null
  /** More events are there already: ask again at once. */
  readonly hasMore: boolean
}
