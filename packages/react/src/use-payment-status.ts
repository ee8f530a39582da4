'use client'
import type { OrderView } from '@alipay-kit/client'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { orderToken } from './order-tokens.js'
import { useAlipayKit } from './provider.js'
import { useLatest } from './use-latest.js'

export interface PaymentStatusOptions {
  /** The order's access token; default: the one the pay button kept for this tab. */
  readonly accessToken?: string
  /** Say "still being confirmed" after this long without news while unpaid. Default 8 s. */
  readonly stallAfterMs?: number
  /** The first polling interval when server-sent events are unavailable; doubles up to maxPollMs. Default 1 s. */
  readonly pollMs?: number
  readonly maxPollMs?: number
  /** Where to stop following; default: the BFF's `final` (closed, refunded, finished, instant paid). */
  readonly stopWhen?: (order: OrderView) => boolean
  /** Use server-sent events when the browser has them (default true). */
  readonly sse?: boolean
}

/** How the status reaches the page right now. */
export type Transport = 'connecting' | 'sse' | 'polling' | 'paused' | 'stopped'

export interface PaymentStatusState {
  readonly order: OrderView | undefined
  readonly transport: Transport
  /** No news for a while and still unpaid (or the buyer came back before the notification): the BFF is asking Alipay. */
  readonly stalled: boolean
  readonly error: Error | null
}

const isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden'

/**
 * Follows an order to a final state: server-sent events from the BFF, or, where those are not
 * available, react-query polling with backoff. It stops at a final state, pauses while the tab is
 * hidden and catches up when it is shown again.
 *
 * @example
 * const { order, stalled } = usePaymentStatus(orderId)
 */
export function usePaymentStatus(
  orderId: string,
  options: PaymentStatusOptions = {},
): PaymentStatusState {
  const { client } = useAlipayKit('usePaymentStatus')
  const queryClient = useQueryClient()
  const latest = useLatest(options)
  const queryKey = ['alipay-kit', 'order', orderId]
  const [visible, setVisible] = useState(isVisible)
  const [sseFailed, setSseFailed] = useState(false)
  const [sseOpen, setSseOpen] = useState(false)
  const [pollMs, setPollMs] = useState(options.pollMs ?? 1_000)
  const [lastNews, setLastNews] = useState(() => Date.now())
  const [now, setNow] = useState(() => Date.now())

  const token = () => latest.current.accessToken ?? orderToken(orderId)
  const query = useQuery({
    queryKey,
    queryFn: ({ signal }) => client.order(orderId, token(), { signal }),
    refetchOnWindowFocus: false,
    retry: 2,
  })
  const order = query.data
  const stop = order ? (latest.current.stopWhen ?? ((o: OrderView) => o.final))(order) : false
  const wantSse = (options.sse ?? true) && typeof EventSource !== 'undefined' && !sseFailed
  const polling = !stop && visible && !(wantSse && sseOpen) && order !== undefined

  // Polling with backoff: the next poll is scheduled when the previous answer (or error) is in,
  // and the interval doubles while nothing changes.
  const answeredAt = Math.max(query.dataUpdatedAt, query.errorUpdatedAt)
  // biome-ignore lint/correctness/useExhaustiveDependencies: answeredAt re-arms the timer after each answer
  useEffect(() => {
    if (!polling) return
    const timer = setTimeout(() => {
      setPollMs((ms) => Math.min(ms * 2, latest.current.maxPollMs ?? 15_000))
      void query.refetch()
    }, pollMs)
    return () => clearTimeout(timer)
  }, [polling, pollMs, answeredAt, query.refetch, latest])

  // Any change of the order is news: reset the backoff and the stall clock.
  const fingerprint = order
    ? `${order.phase}|${order.tradeStatus}|${order.refundStatus}|${order.updatedAt}`
    : ''
  useEffect(() => {
    if (!fingerprint) return
    setLastNews(Date.now())
    setPollMs(latest.current.pollMs ?? 1_000)
  }, [fingerprint, latest])

  // Server-sent events while visible and not final. The query key and token derive from the
  // order id and the latest options; reconnecting on every render would be wrong.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reconnect only when these change
  useEffect(() => {
    if (!wantSse || stop || !visible) return
    const source = new EventSource(client.orderEventsUrl(orderId, token()), {
      withCredentials: true,
    })
    source.addEventListener('open', () => setSseOpen(true))
    source.addEventListener('status', (event) => {
      setSseOpen(true)
      queryClient.setQueryData(
        queryKey,
        JSON.parse((event as MessageEvent<string>).data) as OrderView,
      )
    })
    source.addEventListener('error', () => {
      // The stream failed (a proxy that buffers, a closed connection): fall back to polling.
      source.close()
      setSseOpen(false)
      setSseFailed(true)
    })
    return () => {
      source.close()
      setSseOpen(false)
    }
  }, [wantSse, stop, visible, orderId, client, queryClient])

  // Pause while hidden; catch up at once when shown.
  useEffect(() => {
    if (typeof document === 'undefined') return
    const onChange = () => {
      const shown = isVisible()
      setVisible(shown)
      if (shown) {
        setSseFailed(false)
        setPollMs(latest.current.pollMs ?? 1_000)
        void query.refetch()
      }
    }
    document.addEventListener('visibilitychange', onChange)
    return () => document.removeEventListener('visibilitychange', onChange)
  }, [query.refetch, latest])

  // A clock for "no news for a while", only while it could matter.
  const waiting = order !== undefined && !order.paid && order.phase === 'waiting'
  useEffect(() => {
    if (!waiting || stop) return
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [waiting, stop])

  const transport: Transport = stop
    ? 'stopped'
    : !visible
      ? 'paused'
      : order === undefined
        ? 'connecting'
        : wantSse && sseOpen
          ? 'sse'
          : 'polling'
  const stalled =
    waiting && !stop && (order.confirming || now - lastNews >= (options.stallAfterMs ?? 8_000))
  return { order, transport, stalled, error: query.error }
}
