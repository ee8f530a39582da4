import { useAlipayKit } from '@alipay-kit/react'
import { useQuery } from '@tanstack/react-query'
import { itemNames, useCatalog } from '../catalog.js'
import { useEnglishRegionNames } from '../english-regions.js'
import { addressLine, nextStep, placedAt } from '../order-facts.js'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

/** 我的订单: each order with its number, date, service, address and where it stands. */
export function OrdersPage() {
  const { settings, t } = useSettings()
  const english = useEnglishRegionNames(settings.locale)
  const { client, messages } = useAlipayKit()
  const products = useCatalog().data ?? []
  const orders = useQuery({
    queryKey: ['orders'],
    queryFn: () => client.orders(),
    refetchInterval: 5_000,
  })
  return (
    <section>
      <h1>{t.yourOrders}</h1>
      {orders.data?.length === 0 ? <p>{t.noOrders}</p> : null}
      {orders.data && orders.data.length > 0 ? (
        <table className="lines orders">
          <thead>
            <tr>
              <th scope="col">{t.orderNo}</th>
              <th scope="col">{t.orderDate}</th>
              <th scope="col">{t.orderItems}</th>
              <th scope="col">{t.orderAmount}</th>
              <th scope="col">{t.orderService}</th>
              <th scope="col">{t.orderAddress}</th>
              <th scope="col">{t.orderStatus}</th>
            </tr>
          </thead>
          <tbody>
            {orders.data.map((order) => {
              const next = nextStep(order, t)
              return (
                <tr key={order.id} data-order={order.id}>
                  <td className="order-no">
                    <Link href={`/orders/${order.id}`}>{order.id}</Link>
                  </td>
                  <td>{placedAt(order, settings.locale)}</td>
                  <td>{settings.locale === 'en' ? itemNames(order, products) : order.subject}</td>
                  <td>¥{order.amount}</td>
                  <td>{t.services[order.service]}</td>
                  <td>
                    {addressLine(order, english) ?? <span className="muted">{t.noAddress}</span>}
                  </td>
                  <td className="phase" data-phase={order.phase}>
                    {messages.phases[order.phase]}
                    {next ? <span className="next-step">{next}</span> : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
