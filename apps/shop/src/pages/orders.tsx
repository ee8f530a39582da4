import { useAlipayKit } from '@alipay-kit/react'
import { useQuery } from '@tanstack/react-query'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

export function OrdersPage() {
  const { t } = useSettings()
  const { client, messages } = useAlipayKit()
  const orders = useQuery({
    queryKey: ['orders'],
    queryFn: () => client.orders(),
    refetchInterval: 5_000,
  })
  return (
    <section>
      <h1>{t.yourOrders}</h1>
      {orders.data?.length === 0 ? <p>{t.noOrders}</p> : null}
      <table className="lines">
        <tbody>
          {orders.data?.map((order) => (
            <tr key={order.id} data-order={order.id}>
              <td>
                <Link href={`/orders/${order.id}`}>{order.subject}</Link>
              </td>
              <td>¥{order.amount}</td>
              <td className="phase" data-phase={order.phase}>
                {messages.phases[order.phase]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
