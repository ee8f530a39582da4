import type { MerchantClient } from '@alipay-kit/client'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Texts } from '../texts.js'

/** The merchant page's webhook deliveries: each event's state and tries, and a resend (koa README, "Webhooks"). */
export function Webhooks({ merchant, t }: { merchant: MerchantClient; t: Texts }) {
  const queryClient = useQueryClient()
  const deliveries = useQuery({
    queryKey: ['merchant', 'webhooks'],
    queryFn: () => merchant.webhooks(50),
    refetchInterval: 3_000,
  })
  const resend = useMutation({
    mutationFn: (id: string) => merchant.resendWebhook(id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['merchant', 'webhooks'] }),
  })
  return (
    <section className="webhooks" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">{t.webhooks}</h2>
      <p className="muted">{t.webhooksHint}</p>
      {deliveries.data && deliveries.data.length === 0 ? <p>{t.noWebhooks}</p> : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <table className="lines">
          <tbody>
            {deliveries.data.map((delivery) => (
              <tr key={delivery.id} data-delivery={delivery.id} data-state={delivery.state}>
                <td>
                  <code>{delivery.type}</code>
                </td>
                <td>
                  <code>{delivery.orderId}</code>
                </td>
                <td>{t.webhookStates[delivery.state]}</td>
                <td title={delivery.lastError ?? ''}>
                  {t.webhookAttempts(delivery.attempts)}
                  {delivery.lastStatus ? ` · HTTP ${delivery.lastStatus}` : ''}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button small"
                    disabled={resend.isPending}
                    onClick={() => resend.mutate(delivery.id)}
                  >
                    {t.resend}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
