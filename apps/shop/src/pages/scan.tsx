import { AlipayQrCode, orderToken, useAlipayKit } from '@alipay-kit/react'
import { useEffect, useState } from 'react'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'
import { type StoredQr, storedQr } from '../stored-qr.js'

/**
 * The desktop page of a `qr` order: the code to scan with the Alipay app on a phone, followed
 * live until paid. Opened again later (another tab, a reload without the stored code), it asks
 * the BFF for a new code of the same order.
 */
export function ScanPage({ id }: { id: string }) {
  const { t } = useSettings()
  const { client } = useAlipayKit()
  const [start, setStart] = useState<StoredQr | undefined>(() => storedQr(id))
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    if (start) return
    const token = orderToken(id)
    Promise.all([client.refreshQrCode(id, token), client.order(id, token)]).then(
      ([qr, order]) => setStart({ qr, amount: order.amount }),
      () => setFailed(true),
    )
  }, [client, id, start])
  return (
    <section className="scan">
      <h1>{t.scanTitle}</h1>
      <p className="muted">
        {t.orderNo} {id}
      </p>
      {start ? (
        <AlipayQrCode orderId={id} qr={start.qr} amount={start.amount} />
      ) : failed ? (
        <p role="alert" className="error">
          {t.scanUnavailable}
        </p>
      ) : (
        <p className="muted">…</p>
      )}
      <p>
        <Link href={`/orders/${id}`}>{t.viewOrder}</Link> ·{' '}
        <Link href="/">{t.continueShopping}</Link>
      </p>
    </section>
  )
}
