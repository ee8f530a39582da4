import type { AlipayKitClient } from './client.js'
import type { OrderView } from './contract.js'
import { ORDER_STREAM_EVENTS } from './routes.js'

/*
 * Follows one order's status to a final state, framework-free: server-sent events from the BFF
 * first, polling with backoff where those are unavailable or fail, paused while the page is
 * hidden (caught up at once when it is shown), a stall clock for "still being confirmed", and
 * nothing at all once the order is final. Framework adapters (the React kit's usePaymentStatus)
 * subscribe to it, the way react-query's hooks sit on query-core.
 */

export interface PaymentStatusOptions {
  /** The order's access token (or how to find it when needed); without one, the session cookie decides. */
  readonly accessToken?: string | (() => string | undefined)
  /**
   * Say "still being confirmed" after this long without news while unpaid, once the buyer has been
   * sent to Alipay's cashier (`cashierVisited`). Default 8 s.
   */
  readonly stallAfterMs?: number
  /**
   * Whether this buyer has been sent to Alipay's cashier for the order (the React pay button
   * records it for its tab). Until then, or until the buyer comes back from Alipay (the order's
   * `confirming`), nothing is "being confirmed": a page opened before paying must not tell the
   * buyer not to pay. Default: never.
   */
  readonly cashierVisited?: () => boolean
  /** The first polling interval; it doubles while nothing changes, up to maxPollMs. Default 1 s. */
  readonly pollMs?: number
  /** Default 15 s. */
  readonly maxPollMs?: number
  /** Where to stop following; default: the BFF's `final` (closed, refunded, finished, instant paid). */
  readonly stopWhen?: (order: OrderView) => boolean
  /** Use server-sent events when the page has them (default true). */
  readonly sse?: boolean
}

/** How the status reaches the page right now. */
export type Transport = 'connecting' | 'sse' | 'polling' | 'paused' | 'stopped'

export interface PaymentStatusSnapshot {
  readonly order: OrderView | undefined
  readonly transport: Transport
  /**
   * Still unpaid although the buyer came back from Alipay before the notification, or has been
   * to the cashier and there has been no news for `stallAfterMs`: "being confirmed, do not pay
   * again". Never for an order the buyer has not tried to pay yet.
   */
  readonly stalled: boolean
  /** The last failure to read the order (cleared by the next success). */
  readonly error: Error | null
}

/** What an EventSource must offer (the browser's, or the `eventsource` package in Node). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { readonly data?: unknown }) => void): void
  close(): void
}
export type EventSourceConstructor = new (
  url: string,
  init?: { withCredentials?: boolean },
) => EventSourceLike

/** The page around the observer; by default `document` and the global EventSource. */
export interface PageEnvironment {
  /** Undefined where there is none: the observer polls. */
  readonly EventSource: EventSourceConstructor | undefined
  isVisible(): boolean
  /** Calls `listener` when visibility may have changed; returns the unsubscribe. */
  onVisibilityChange(listener: () => void): () => void
}

export interface PaymentStatusObserver {
  /** The current state; the same object until something changes (for useSyncExternalStore). */
  getSnapshot(): PaymentStatusSnapshot
  /** Starts following with the first listener, stops with the last; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
  /** Reads the order now (a buyer's "refresh"), whatever the schedule. */
  refresh(): Promise<void>
}

/** The browser's page: `document.visibilityState` and `window.EventSource`, when they exist. */
export function browserPage(): PageEnvironment {
  const doc = typeof document === 'undefined' ? undefined : document
  return {
    EventSource:
      typeof EventSource === 'undefined' ? undefined : (EventSource as EventSourceConstructor),
    isVisible: () => doc === undefined || doc.visibilityState !== 'hidden',
    onVisibilityChange(listener) {
      doc?.addEventListener('visibilitychange', listener)
      return () => doc?.removeEventListener('visibilitychange', listener)
    },
  }
}

const INITIAL: PaymentStatusSnapshot = {
  order: undefined,
  transport: 'connecting',
  stalled: false,
  error: null,
}

const fingerprintOf = (order: OrderView) =>
  `${order.phase}|${order.tradeStatus}|${order.refundStatus}|${order.updatedAt}`

/**
 * Follows an order's status. Nothing happens until the first `subscribe`.
 *
 * @example
 * const observer = createPaymentStatusObserver({ client: createAlipayKitClient(), orderId })
 * const stop = observer.subscribe(() => render(observer.getSnapshot()))
 */
export function createPaymentStatusObserver(input: {
  readonly client: Pick<AlipayKitClient, 'order' | 'orderEventsUrl'>
  readonly orderId: string
  /** Options, or a function returning the latest ones (read whenever they matter). */
  readonly options?: PaymentStatusOptions | (() => PaymentStatusOptions)
  /** Where the observer runs; default {@link browserPage}. */
  readonly page?: PageEnvironment
}): PaymentStatusObserver {
  const { client, orderId } = input
  const options = (): PaymentStatusOptions =>
    typeof input.options === 'function' ? input.options() : (input.options ?? {})
  const page = input.page ?? browserPage()
  const listeners = new Set<() => void>()

  let snapshot = INITIAL
  let order: OrderView | undefined
  let fingerprint = ''
  let error: Error | null = null
  let running = false
  let visible = true
  let sseFailed = false
  let sseOpen = false
  let source: EventSourceLike | undefined
  let pollMs = 0
  let lastNews = 0
  let pollTimer: ReturnType<typeof setTimeout> | undefined
  let stallTimer: ReturnType<typeof setTimeout> | undefined
  let fetching: AbortController | undefined
  let stopVisibility: (() => void) | undefined

  const firstPollMs = () => options().pollMs ?? 1_000
  const stallAfterMs = () => options().stallAfterMs ?? 8_000
  const stopped = () => order !== undefined && (options().stopWhen ?? ((o) => o.final))(order)
  const waiting = () => order !== undefined && !order.paid && order.phase === 'waiting'
  const visited = () => options().cashierVisited?.() === true
  const wantSse = () => options().sse !== false && page.EventSource !== undefined && !sseFailed
  const token = () => {
    const given = options().accessToken
    return typeof given === 'function' ? given() : given
  }

  function emit(): void {
    const stop = stopped()
    const transport: Transport = stop
      ? 'stopped'
      : !visible
        ? 'paused'
        : order === undefined
          ? 'connecting'
          : wantSse() && sseOpen
            ? 'sse'
            : 'polling'
    const stalled =
      waiting() &&
      !stop &&
      (order?.confirming === true || (visited() && Date.now() - lastNews >= stallAfterMs()))
    const next = { order, transport, stalled, error }
    if (
      next.order === snapshot.order &&
      next.transport === snapshot.transport &&
      next.stalled === snapshot.stalled &&
      next.error === snapshot.error
    )
      return
    snapshot = next
    for (const listener of [...listeners]) listener()
  }

  function received(next: OrderView): void {
    error = null
    const print = fingerprintOf(next)
    // Any change of the order is news: reset the backoff and the stall clock.
    if (print !== fingerprint) {
      fingerprint = print
      lastNews = Date.now()
      pollMs = firstPollMs()
    }
    order = next
  }

  async function fetchNow(): Promise<void> {
    if (fetching) return
    const controller = new AbortController()
    fetching = controller
    try {
      received(await client.order(orderId, token(), { signal: controller.signal }))
    } catch (caught) {
      if (controller.signal.aborted) return
      error = caught instanceof Error ? caught : new Error(String(caught))
    } finally {
      if (fetching === controller) fetching = undefined
    }
    if (!controller.signal.aborted) reconcile()
  }

  function closeSource(): void {
    source?.close()
    source = undefined
    sseOpen = false
  }

  function openSource(Source: EventSourceConstructor): void {
    const opened = new Source(client.orderEventsUrl(orderId, token()), { withCredentials: true })
    source = opened
    opened.addEventListener('open', () => {
      if (source !== opened) return
      sseOpen = true
      reconcile()
    })
    opened.addEventListener(ORDER_STREAM_EVENTS.status, (event) => {
      if (source !== opened || typeof event.data !== 'string') return
      sseOpen = true
      received(JSON.parse(event.data) as OrderView)
      reconcile()
    })
    opened.addEventListener('error', () => {
      if (source !== opened) return
      // The stream failed (a proxy that buffers, a closed connection): fall back to polling.
      closeSource()
      sseFailed = true
      reconcile()
    })
  }

  function clearPoll(): void {
    if (pollTimer !== undefined) clearTimeout(pollTimer)
    pollTimer = undefined
  }

  /** Brings timers and the stream in line with the state, then tells the listeners. */
  function reconcile(): void {
    const active = running && visible && !stopped()
    if (!active) {
      closeSource()
      clearPoll()
    } else {
      const sse = wantSse()
      if (sse && !source && page.EventSource) openSource(page.EventSource)
      if (!sse && source) closeSource()
      const polling = !(sse && sseOpen)
      if (!polling) clearPoll()
      else if (pollTimer === undefined && fetching === undefined) {
        // The next poll waits for the previous answer; the interval doubles while nothing changes.
        const wait = pollMs
        pollTimer = setTimeout(() => {
          pollTimer = undefined
          pollMs = Math.min(pollMs * 2, options().maxPollMs ?? 15_000)
          void fetchNow()
        }, wait)
      }
    }
    if (stallTimer !== undefined) clearTimeout(stallTimer)
    stallTimer = undefined
    if (active && waiting() && order?.confirming !== true && visited()) {
      const due = lastNews + stallAfterMs() - Date.now()
      if (due > 0) stallTimer = setTimeout(reconcile, due + 5)
    }
    emit()
  }

  function onVisibility(): void {
    const shown = page.isVisible()
    if (shown === visible) return
    visible = shown
    if (shown && !stopped()) {
      // Back in view: try the stream again and catch up at once.
      sseFailed = false
      pollMs = firstPollMs()
      clearPoll()
      void fetchNow()
    }
    reconcile()
  }

  function start(): void {
    running = true
    visible = page.isVisible()
    pollMs = firstPollMs()
    lastNews = Date.now()
    stopVisibility = page.onVisibilityChange(onVisibility)
    if (visible) void fetchNow()
    reconcile()
  }

  function stop(): void {
    running = false
    stopVisibility?.()
    stopVisibility = undefined
    fetching?.abort()
    fetching = undefined
    closeSource()
    clearPoll()
    if (stallTimer !== undefined) clearTimeout(stallTimer)
    stallTimer = undefined
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      if (!running) start()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && running) stop()
      }
    },
    async refresh() {
      clearPoll()
      await fetchNow()
    },
  }
}
