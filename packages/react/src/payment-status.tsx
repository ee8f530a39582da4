'use client'
import type { ReactNode } from 'react'
import { useAlipayKit } from './provider.js'
import {
  type PaymentStatusOptions,
  type PaymentStatusState,
  usePaymentStatus,
} from './use-payment-status.js'

export interface PaymentStatusProps extends PaymentStatusOptions {
  readonly orderId: string
  /** Render it yourself: gets the order, how it is followed, and whether it is stalled. */
  readonly children?: (state: PaymentStatusState) => ReactNode
  readonly className?: string
}

/**
 * An order's payment status, followed live until it is final, and announced to screen readers
 * as it changes (aria-live).
 *
 * @example
 * <PaymentStatus orderId={id} />
 * <PaymentStatus orderId={id}>{({ order }) => <b>{order?.phase}</b>}</PaymentStatus>
 */
export function PaymentStatus({ orderId, children, className, ...options }: PaymentStatusProps) {
  const { messages } = useAlipayKit('PaymentStatus')
  const state = usePaymentStatus(orderId, options)
  const { order, stalled, error } = state
  const phase = order?.phase
  return (
    <div
      className={`akit-status ${phase ? `akit-phase-${phase}` : 'akit-phase-loading'} ${className ?? ''}`.trim()}
      role="status"
      aria-live="polite"
      aria-atomic="true"
      aria-busy={order === undefined && !error}
      data-transport={state.transport}
    >
      {children ? (
        children(state)
      ) : (
        <>
          <p className="akit-status-phase">
            {phase ? messages.phases[phase] : messages.connecting}
          </p>
          {order ? (
            <p className="akit-status-detail">
              <span className="akit-status-subject">{order.subject}</span>{' '}
              <span className="akit-status-amount">{messages.amount(order.amount)}</span>
            </p>
          ) : null}
          {stalled ? <p className="akit-status-note">{messages.stillConfirming}</p> : null}
          {error && !order ? (
            <p className="akit-status-note">{messages.statusUnavailable}</p>
          ) : null}
        </>
      )}
    </div>
  )
}
