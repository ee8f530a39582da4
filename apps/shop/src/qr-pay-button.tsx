import type { AddressInput, OrderItemInput, QrStart } from '@alipay-kit/client'
import { AlipayKitApiError } from '@alipay-kit/client'
import { rememberOrderToken, useAlipayKit } from '@alipay-kit/react'
import { useId, useState } from 'react'
import { navigate } from './router.js'
import { useSettings } from './settings.js'

/** What the scan page shows for an order just created (kept for this tab, like its token). */
export interface StoredQr {
  readonly qr: QrStart
  readonly amount: string
}
const key = (orderId: string) => `tea-house:qr:${orderId}`

export function storedQr(orderId: string): StoredQr | undefined {
  try {
    return JSON.parse(window.sessionStorage.getItem(key(orderId)) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Pay by scanning (the `qr` service): creates the order (the BFF precreates it at Alipay) and
 * goes to the scan page, where AlipayQrCode shows the code and follows the payment.
 */
export function QrPayButton(props: {
  readonly items: readonly OrderItemInput[]
  readonly address?: AddressInput | undefined
  readonly disabled: boolean
  readonly disabledReason: string
  readonly onCreated: () => void
}) {
  const { client, locale } = useAlipayKit('QrPayButton')
  const { t } = useSettings()
  const [state, setState] = useState<{ kind: 'idle' | 'busy' } | { kind: 'error'; text: string }>({
    kind: 'idle',
  })
  const reasonId = useId()
  const busy = state.kind === 'busy'
  async function pay() {
    if (busy) return
    setState({ kind: 'busy' })
    try {
      const { order, accessToken, payment } = await client.createOrder({
        items: props.items,
        service: 'qr',
        ...(props.address ? { address: props.address } : {}),
      })
      rememberOrderToken(order.id, accessToken)
      window.sessionStorage.setItem(
        key(order.id),
        JSON.stringify({ qr: payment, amount: order.amount } satisfies StoredQr),
      )
      props.onCreated()
      navigate(`/orders/${order.id}/scan`)
    } catch (error) {
      const explained =
        error instanceof AlipayKitApiError
          ? `${error.explanation[locale].cause}：${error.explanation[locale].fix}`
          : (error as Error).message
      setState({ kind: 'error', text: explained })
    }
  }
  const reason = props.disabled && !busy ? props.disabledReason : undefined
  return (
    <span className="akit-pay-wrap">
      <button
        type="button"
        className="akit-button akit-pay akit-large akit-solid"
        disabled={props.disabled || busy}
        aria-busy={busy}
        aria-describedby={reason ? reasonId : undefined}
        onClick={() => void pay()}
      >
        <span className="akit-label">{busy ? t.qrCreating : t.payByQr}</span>
      </button>
      {reason ? (
        <span id={reasonId} className="akit-pay-reason">
          {reason}
        </span>
      ) : null}
      {state.kind === 'error' ? (
        <span role="alert" className="akit-error">
          {state.text}
        </span>
      ) : null}
    </span>
  )
}
