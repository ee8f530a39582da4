import { PaymentStatus, useAlipayKit } from '@alipay-kit/react'
import { useCatalog } from '../catalog.js'
import { useEnglishRegionNames } from '../english-regions.js'
import { addressLine, nextStep, placedAt } from '../order-facts.js'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

/** Where Alipay's return (through the BFF) brings the buyer: the order's live status. */
export function ResultPage({ id }: { id: string }) {
  const { settings, t } = useSettings()
  const english = useEnglishRegionNames(settings.locale)
  const { messages } = useAlipayKit()
  const products = useCatalog().data ?? []
  return (
    <section>
      <h1>
        {t.resultTitle} {id}
      </h1>
      <PaymentStatus orderId={id}>
        {({ order, stalled, error }) => (
          <div className={`result result-${order?.phase ?? 'loading'}`}>
            <p className="result-phase" data-phase={order?.phase ?? ''}>
              {order
                ? messages.phases[order.phase]
                : error
                  ? messages.statusUnavailable
                  : messages.connecting}
            </p>
            {stalled ? <p className="muted">{messages.stillConfirming}</p> : null}
            {order && nextStep(order, t) ? <p className="next-step">{nextStep(order, t)}</p> : null}
            {order ? (
              <>
                <dl className="order-facts">
                  <dt>{t.orderDate}</dt>
                  <dd>{placedAt(order, settings.locale)}</dd>
                  <dt>{t.orderService}</dt>
                  <dd>{t.services[order.service]}</dd>
                  <dt>{t.orderAddress}</dt>
                  <dd>{addressLine(order, english) ?? t.noAddress}</dd>
                </dl>
                <ul className="summary">
                  {order.items.map((item) => (
                    <li key={item.sku}>
                      {products.find((p) => p.sku === item.sku)?.name ?? item.name} ×{' '}
                      {item.quantity} · ¥{item.price}
                    </li>
                  ))}
                </ul>
                <p className="total">
                  {t.total} <strong>¥{order.amount}</strong>
                  {order.refunded !== '0.00'
                    ? ` · ${messages.phases.refunded} ¥${order.refunded}`
                    : ''}
                </p>
              </>
            ) : null}
          </div>
        )}
      </PaymentStatus>
      <p>
        <Link href="/orders">{t.yourOrders}</Link> · <Link href="/">{t.continueShopping}</Link>
      </p>
    </section>
  )
}
