import type { OrderView } from '@alipay-kit/client'
import type { PaymentEvent } from '@alipay-kit/core'

/** What a hook is told: which milestone, its idempotency key, and the order as it stands now. */
export interface HookEvent {
  readonly event: PaymentEvent
  /** Unique per order and transition: use it to make your own side effects idempotent. */
  readonly key: string
  readonly order: OrderView
  /** The Alipay buyer id, when Alipay reported one. */
  readonly buyerId: string | null
}

export type Hook = (event: HookEvent) => void | Promise<void>

/**
 * The hook of each milestone: the one list of hook names. A new PaymentEvent without its hook
 * here is a type error (ARCHITECTURE.md, "Add a hook event").
 */
export const HOOK_FOR_EVENT = {
  paid: 'onPaid',
  shipped: 'onShipped',
  finished: 'onFinished',
  closed: 'onClosed',
  refund_requested: 'onRefundRequested',
  refund_refused: 'onRefundRefused',
  refund_agreed: 'onRefundAgreed',
  goods_returned: 'onGoodsReturned',
  refunded: 'onRefunded',
  refund_closed: 'onRefundClosed',
  refund_failed: 'onRefundFailed',
  review: 'onReview',
} as const satisfies Readonly<Record<PaymentEvent, `on${string}`>>

/**
 * The merchant's code, run once per transition after it is committed (fulfil, email, restock…):
 * `onPaid`, `onShipped`, `onFinished`, `onClosed`, `onRefundRequested`, `onRefundRefused`,
 * `onRefundAgreed`, `onGoodsReturned`, `onRefunded`, `onRefundClosed`; `onRefundFailed` when
 * Alipay refuses a refund (the order's `refundFailures` say which and why), `onReview` when an
 * order is held for a person (its `review` says why: an amount nothing explains, a closed order
 * paid).
 */
export type Hooks = {
  readonly [E in PaymentEvent as (typeof HOOK_FOR_EVENT)[E]]?: Hook
}

/** The events some hook listens to: only those get an outbox job. */
export function hookedEvents(hooks: Hooks): Set<string> {
  return new Set(
    (Object.keys(HOOK_FOR_EVENT) as PaymentEvent[]).filter((event) => hooks[HOOK_FOR_EVENT[event]]),
  )
}
