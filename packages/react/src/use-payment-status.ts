'use client'
import {
  createPaymentStatusObserver,
  type PaymentStatusOptions as ObserverOptions,
  type PaymentStatusSnapshot,
} from '@alipay-kit/client'
import { useMemo, useSyncExternalStore } from 'react'
import { cashierVisited, orderToken } from './order-tokens.js'
import { useAlipayKit } from './provider.js'
import { useLatest } from './use-latest.js'

export interface PaymentStatusOptions extends Omit<ObserverOptions, 'accessToken'> {
  /** The order's access token; default: the one the pay button kept for this tab. */
  readonly accessToken?: string
}

export type { PaymentStatusSnapshot as PaymentStatusState, Transport } from '@alipay-kit/client'

/**
 * Follows an order to a final state: server-sent events from the BFF, or, where those are not
 * available, polling with backoff. It stops at a final state, pauses while the tab is hidden and
 * catches up when it is shown again. A thin adapter over the framework-free observer of
 * @alipay-kit/client (createPaymentStatusObserver); options are read fresh, never re-subscribing.
 *
 * @example
 * const { order, stalled } = usePaymentStatus(orderId)
 */
export function usePaymentStatus(
  orderId: string,
  options: PaymentStatusOptions = {},
): PaymentStatusSnapshot {
  const { client } = useAlipayKit('usePaymentStatus')
  const latest = useLatest(options)
  const observer = useMemo(
    () =>
      createPaymentStatusObserver({
        client,
        orderId,
        options: () => ({
          ...latest.current,
          accessToken: () => latest.current.accessToken ?? orderToken(orderId),
          cashierVisited: () => latest.current.cashierVisited?.() ?? cashierVisited(orderId),
        }),
      }),
    [client, orderId, latest],
  )
  return useSyncExternalStore(observer.subscribe, observer.getSnapshot, observer.getSnapshot)
}
