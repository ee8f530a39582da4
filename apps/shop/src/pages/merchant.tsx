import { AlipayKitApiError, createMerchantClient, type OrderView } from '@alipay-kit/client'
import { useAlipayKit } from '@alipay-kit/react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useMemo, useState } from 'react'
import { useSettings } from '../settings.js'
import { Reconciliation } from './reconciliation.js'
import { Webhooks } from './webhooks.js'

/*
 * A demo only: the merchant API's secret (it can refund every order) is typed in here and kept in
 * this tab's sessionStorage, on the shop's own origin. Any script that runs on that origin, a
 * cross-site-scripting hole or a compromised dependency of the shop, can read it. A real back
 * office is its own application on its own origin, behind the merchant's own login, and calls the
 * merchant API from its server, never from the shop's pages (apps/shop/README.md, "The merchant
 * page is a demo").
 */
const SECRET_KEY = 'tea-house:merchant-secret'

/** The merchant's page: orders with their actions, and the notification log with reasons. */
export function MerchantPage() {
  const { t } = useSettings()
  const [secret, setSecret] = useState(() => window.sessionStorage.getItem(SECRET_KEY) ?? '')
  if (!secret)
    return (
      <Unlock
        onSecret={(value) => {
          window.sessionStorage.setItem(SECRET_KEY, value)
          setSecret(value)
        }}
      />
    )
  return (
    <Back
      secret={secret}
      onLocked={() => {
        window.sessionStorage.removeItem(SECRET_KEY)
        setSecret('')
      }}
      t={t}
    />
  )
}

function Unlock({ onSecret }: { onSecret: (secret: string) => void }) {
  const { t } = useSettings()
  const [value, setValue] = useState('')
  return (
    <section>
      <h1>{t.merchant}</h1>
      <form
        className="unlock"
        onSubmit={(event: FormEvent) => {
          event.preventDefault()
          if (value.trim()) onSecret(value.trim())
        }}
      >
        <label htmlFor="merchant-secret">
          {t.merchantSecret} <span className="muted">({t.merchantSecretHint})</span>
        </label>
        <input
          id="merchant-secret"
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
        <button type="submit" className="button">
          {t.unlock}
        </button>
      </form>
    </section>
  )
}

function Back({
  secret,
  onLocked,
  t,
}: {
  secret: string
  onLocked: () => void
  t: ReturnType<typeof useSettings>['t']
}) {
  const { client, locale, messages } = useAlipayKit()
  const merchant = useMemo(
    () => createMerchantClient({ baseUrl: client.baseUrl, secret }),
    [client, secret],
  )
  const queryClient = useQueryClient()
  const [onlyRejected, setOnlyRejected] = useState(false)
  const [notice, setNotice] = useState('')
  const orders = useQuery({
    queryKey: ['merchant', 'orders', secret],
    queryFn: () => merchant.orders(100),
    refetchInterval: 3_000,
  })
  const log = useQuery({
    queryKey: ['merchant', 'log', secret, onlyRejected],
    queryFn: () => merchant.notifications(onlyRejected ? { outcome: 'rejected' } : {}),
    refetchInterval: 3_000,
  })
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'ship' | 'refund' | 'close' | 'query' }) =>
      action === 'ship'
        ? merchant.ship(id, { logisticsName: '顺丰速运', transportType: 'EXPRESS' })
        : action === 'refund'
          ? merchant.refund(id, { reason: 'merchant refund (demo)' })
          : action === 'close'
            ? merchant.close(id)
            : merchant.query(id),
    onSuccess: (order, { action }) =>
      setNotice(`${action} → ${order.id}: ${messages.phases[order.phase]}`),
    onError: (error) => {
      if (error instanceof AlipayKitApiError && error.status === 401) onLocked()
      setNotice(
        error instanceof AlipayKitApiError
          ? `${error.code}: ${error.explanation[locale].cause}`
          : String(error),
      )
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['merchant'] }),
  })
  if (orders.error instanceof AlipayKitApiError && orders.error.status === 401) onLocked()

  const actions = (order: OrderView) => {
    const list: Array<'ship' | 'refund' | 'close' | 'query'> = ['query']
    if (order.tradeStatus === 'WAIT_SELLER_SEND_GOODS' && order.refundStatus === null)
      list.unshift('ship')
    if (order.paid && order.phase !== 'refunded' && order.phase !== 'closed') list.unshift('refund')
    if (order.phase === 'waiting') list.unshift('close')
    return list
  }
  const label = { ship: t.ship, refund: t.refund, close: t.close, query: t.query }

  return (
    <section className="merchant">
      <h1>{t.merchant}</h1>
      <p role="status" className="ok">
        {notice}
      </p>
      <table className="lines">
        <caption>{t.allOrders}</caption>
        <tbody>
          {orders.data?.map((order) => (
            <tr key={order.id} data-order={order.id}>
              <td>
                <code>{order.id}</code>
              </td>
              <td>{order.subject}</td>
              <td>¥{order.amount}</td>
              <td>{t.services[order.service]}</td>
              <td className="phase" data-phase={order.phase}>
                {messages.phases[order.phase]}
              </td>
              <td className="row-actions">
                {actions(order).map((action) => (
                  <button
                    key={action}
                    type="button"
                    className="button small"
                    disabled={act.isPending}
                    onClick={() => act.mutate({ id: order.id, action })}
                  >
                    {label[action]}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <Reconciliation merchant={merchant} t={t} />

      <Webhooks merchant={merchant} t={t} />

      <h2>{t.notifications}</h2>
      <label>
        <input
          type="checkbox"
          checked={onlyRejected}
          onChange={(e) => setOnlyRejected(e.target.checked)}
        />{' '}
        {t.onlyRejected}
      </label>
      <table className="lines log">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">time</th>
            <th scope="col">channel</th>
            <th scope="col">order</th>
            <th scope="col">status</th>
            <th scope="col">outcome</th>
            <th scope="col">reason</th>
          </tr>
        </thead>
        <tbody>
          {log.data?.map((entry) => (
            <tr key={entry.id} data-outcome={entry.outcome}>
              <td>{entry.id}</td>
              <td>{new Date(entry.receivedAt).toLocaleTimeString()}</td>
              <td>{entry.channel}</td>
              <td>
                <code>{entry.orderId ?? '—'}</code>
              </td>
              <td>{[entry.tradeStatus, entry.refundStatus].filter(Boolean).join(' / ')}</td>
              <td className={`outcome outcome-${entry.outcome}`}>{entry.outcome}</td>
              <td>{[entry.code, entry.reason].filter(Boolean).join(': ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
