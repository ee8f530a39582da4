'use client'
import type {
  AddressInput,
  AlipayKitApiError,
  CashierService,
  CreateOrderResult,
  OrderItemInput,
} from '@alipay-kit/client'
import { type ReactNode, useId, useRef, useState } from 'react'
import { AlipayMark, MARK_SIZE } from './artwork.js'
import { ErrorMessage } from './error-message.js'
import { rememberCashierVisit, rememberOrderToken } from './order-tokens.js'
import { useAlipayKit } from './provider.js'
import { useLatest } from './use-latest.js'

/** The services the button pays with: every cashier service, and `qr` (a code the page shows). */
export type PayButtonService = CashierService | 'qr'

export interface AlipayPayButtonProps<S extends PayButtonService = CashierService> {
  /** What is bought: SKUs and quantities. The BFF prices them; the browser never sends amounts. */
  readonly items: readonly OrderItemInput[]
  /**
   * A service that sends the buyer to Alipay's cashier: instant, escrow, dual, digital, donation
   * (legacy gateway); page or wap (Open Platform). See PAY_SERVICES in @alipay-kit/client. Or
   * `qr`: the order is created (Alipay precreates it) and handed to `onCreated`, the page staying
   * where it is, to show `result.payment` with AlipayQrCode.
   */
  readonly service: S
  readonly address?: AddressInput
  /** How to go to Alipay: a form POST (desktop, the default) or the URL (wap pay's default). */
  readonly redirect?: 'form' | 'url'
  readonly size?: 'small' | 'medium' | 'large'
  /** The official solid button, or the outline one. */
  readonly variant?: 'solid' | 'outline'
  readonly disabled?: boolean
  /**
   * Why the button is disabled, and what to do ("填好收货地址：还缺手机号码"): shown beside it and
   * read with it (aria-describedby). A disabled button gets no clicks, so this is the only way
   * the buyer learns why.
   */
  readonly disabledReason?: ReactNode
  /** Called with the new order just before the browser leaves for Alipay. */
  readonly onCreated?: (result: CreateOrderResult<S>) => void
  /** Called with the error shown (from the kit's catalog, in the current language). */
  readonly onError?: (error: AlipayKitApiError | Error) => void
  /** The label; default 支付宝付款 / Pay with Alipay. */
  readonly children?: ReactNode
  /**
   * The official button image of your signed integration package, shown instead of the built-in
   * mark and label (its alt text is the label). While the order is created the button still says
   * so beside it.
   */
  readonly imageSrc?: string
  readonly className?: string
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'error'; readonly error: unknown }

/**
 * Alipay's pay button: creates the order at the BFF and sends the buyer to Alipay. While it works
 * it shows so and is disabled; a second click meanwhile does nothing, so a double click makes one
 * order, not two.
 *
 * @example
 * <AlipayPayButton items={[{ sku: 'longjing-250g', quantity: 1 }]} service="page" />
 */
export function AlipayPayButton<S extends PayButtonService = CashierService>(
  props: AlipayPayButtonProps<S>,
) {
  const { client, locale, messages, navigator } = useAlipayKit('AlipayPayButton')
  const [state, setState] = useState<State>({ kind: 'idle' })
  const inFlight = useRef(false)
  const latest = useLatest(props)
  const reasonId = useId()

  async function pay() {
    // A ref, not state: the second click of a double click arrives before any re-render.
    if (inFlight.current) return
    inFlight.current = true
    setState({ kind: 'busy' })
    const { items, service, address, redirect } = latest.current
    try {
      const result = await client.createOrder({ items, service, ...(address ? { address } : {}) })
      rememberOrderToken(result.order.id, result.accessToken)
      latest.current.onCreated?.(result)
      // Stay busy: the page is leaving for Alipay, or showing the order's QR code instead.
      const payment = result.payment
      if (payment.kind === 'qr') return
      rememberCashierVisit(result.order.id)
      const how = redirect ?? (service === 'wap' ? 'url' : 'form')
      if (how === 'url') navigator.assign(payment.url)
      else navigator.post(payment.form)
    } catch (error) {
      inFlight.current = false
      setState({ kind: 'error', error })
      latest.current.onError?.(error as Error)
    }
  }

  const size = props.size ?? 'medium'
  const busy = state.kind === 'busy'
  const reason = props.disabled && !busy ? props.disabledReason : undefined
  const className = [
    'akit-button',
    'akit-pay',
    `akit-${size}`,
    `akit-${props.variant ?? 'solid'}`,
    props.imageSrc ? 'akit-image' : '',
    props.className ?? '',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <span className="akit-pay-wrap">
      <button
        type="button"
        className={className}
        disabled={props.disabled || busy}
        aria-busy={busy}
        aria-describedby={reason ? reasonId : undefined}
        onClick={() => void pay()}
      >
        {props.imageSrc ? (
          <img src={props.imageSrc} alt={messages.payLabel} />
        ) : (
          <AlipayMark size={MARK_SIZE[size]} />
        )}
        {props.imageSrc && !busy ? null : (
          <span className="akit-label">
            {busy
              ? props.service === 'qr'
                ? messages.qrCreating
                : messages.paying
              : (props.children ?? messages.payLabel)}
          </span>
        )}
      </button>
      {reason ? (
        <span id={reasonId} className="akit-pay-reason">
          {reason}
        </span>
      ) : null}
      {state.kind === 'error' ? <ErrorMessage error={state.error} locale={locale} /> : null}
    </span>
  )
}
