'use client'
import type { QrStart } from '@alipay-kit/client'
import { useEffect, useRef, useState } from 'react'
import { ErrorMessage } from './error-message.js'
import { orderToken } from './order-tokens.js'
import { useAlipayKit } from './provider.js'
import { useLatest } from './use-latest.js'
import { usePaymentStatus } from './use-payment-status.js'

export interface AlipayQrCodeProps {
  readonly orderId: string
  /** The order's QR code: `payment` of a `qr` order's CreateOrderResult. */
  readonly qr: QrStart
  /** What the buyer pays, in yuan ("128.00"), shown under the code. */
  readonly amount: string
  /** The order's access token; default: the one kept for this tab. */
  readonly accessToken?: string
  /** The code's side in CSS pixels (default 200; at least 150 scans well from a screen). */
  readonly size?: number
  readonly className?: string
}

type Drawn = { readonly text: string; readonly path: string; readonly size: number }

/** `mm:ss` (or `h:mm:ss`) of a duration in ms. */
function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/**
 * A `qr` order's code for the buyer to scan with the Alipay app: drawn as SVG (the encoder loads
 * on first use), the amount, a countdown to the code's expiry, a new code (the same trade at
 * Alipay) when it expires, a link for a buyer already on a phone, and the order's live status
 * through the same observer as PaymentStatus: paid or closed replaces the code.
 *
 * @example
 * const { order, payment } = await client.createOrder({ items, service: 'qr' })
 * <AlipayQrCode orderId={order.id} qr={payment} amount={order.amount} />
 */
export function AlipayQrCode(props: AlipayQrCodeProps) {
  const { client, locale, messages } = useAlipayKit('AlipayQrCode')
  const { order } = usePaymentStatus(props.orderId, {
    ...(props.accessToken ? { accessToken: props.accessToken } : {}),
  })
  const [qr, setQr] = useState(props.qr)
  const [drawn, setDrawn] = useState<Drawn | undefined>(undefined)
  const [now, setNow] = useState(() => Date.now())
  const [refresh, setRefresh] = useState<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'failed'; error: unknown }
  >({ kind: 'idle' })
  const latest = useLatest(props)
  const refreshing = useRef(false)

  // A new code from the app (another order, say) replaces the one shown (set during render,
  // as React advises for state that follows a prop).
  const given = `${props.qr.qrCode} ${props.qr.expiresAt}`
  const [seen, setSeen] = useState(given)
  if (seen !== given) {
    setSeen(given)
    setQr(props.qr)
  }

  useEffect(() => {
    let live = true
    import('./qr-matrix.js').then(({ qrPath }) => {
      if (live) setDrawn({ text: qr.qrCode, ...qrPath(qr.qrCode) })
    })
    return () => {
      live = false
    }
  }, [qr.qrCode])

  const waiting = order === undefined || order.phase === 'waiting'
  const expired = now >= Date.parse(qr.expiresAt)

  // The countdown ticks while the code can still be paid.
  useEffect(() => {
    if (!waiting) return
    const timer = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(timer)
  }, [waiting])

  async function renew() {
    if (refreshing.current) return
    refreshing.current = true
    setRefresh({ kind: 'busy' })
    try {
      const { orderId, accessToken } = latest.current
      const next = await client.refreshQrCode(orderId, accessToken ?? orderToken(orderId))
      setQr(next)
      setNow(Date.now())
      // A code that is out of time already is not worth another automatic try.
      setRefresh(
        Date.parse(next.expiresAt) > Date.now()
          ? { kind: 'idle' }
          : { kind: 'failed', error: new Error(messages.qrExpired) },
      )
    } catch (error) {
      setRefresh({ kind: 'failed', error })
    } finally {
      refreshing.current = false
    }
  }

  // An expired code is replaced once by itself; after a failure the buyer asks again.
  useEffect(() => {
    if (expired && waiting && refresh.kind === 'idle') void renew()
  })

  const size = props.size ?? 200
  const phase = order?.phase
  const done = order !== undefined && !waiting
  return (
    <div
      className={`akit-qr ${phase ? `akit-phase-${phase}` : ''} ${props.className ?? ''}`.trim()}
    >
      <div className="akit-qr-status" role="status" aria-live="polite" aria-atomic="true">
        {done ? <p className="akit-status-phase">{messages.phases[order.phase]}</p> : null}
        {!done && expired ? (
          <p className="akit-qr-note">
            {refresh.kind === 'busy' ? messages.qrRefreshing : messages.qrExpired}
          </p>
        ) : null}
      </div>
      {done ? null : (
        <>
          <div className="akit-qr-frame" style={{ width: size, height: size }}>
            {drawn && drawn.text === qr.qrCode && !expired ? (
              <svg
                role="img"
                aria-label={messages.qrAlt(props.amount)}
                viewBox={`0 0 ${drawn.size} ${drawn.size}`}
                width={size}
                height={size}
                shapeRendering="crispEdges"
              >
                <rect width={drawn.size} height={drawn.size} fill="#fff" />
                <path d={drawn.path} fill="#000" />
              </svg>
            ) : (
              <span className="akit-qr-placeholder">
                {expired ? messages.qrExpired : messages.qrDrawing}
              </span>
            )}
          </div>
          <p className="akit-qr-amount">{messages.amount(props.amount)}</p>
          <p className="akit-qr-hint">{messages.qrScan}</p>
          {expired ? (
            <button
              type="button"
              className="akit-button akit-outline akit-small"
              disabled={refresh.kind === 'busy'}
              onClick={() => void renew()}
            >
              {refresh.kind === 'busy' ? messages.qrRefreshing : messages.qrRefresh}
            </button>
          ) : (
            <p className="akit-qr-countdown">
              {messages.qrExpiresIn(clock(Date.parse(qr.expiresAt) - now))}
            </p>
          )}
          {refresh.kind === 'failed' ? (
            <>
              <p className="akit-qr-note">{messages.qrRefreshFailed}</p>
              <ErrorMessage error={refresh.error} locale={locale} />
            </>
          ) : null}
          <a className="akit-qr-phone" href={qr.qrCode}>
            {messages.qrOpenOnPhone}
          </a>
        </>
      )}
    </div>
  )
}
