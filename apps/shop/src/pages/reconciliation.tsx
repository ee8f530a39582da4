import { AlipayKitApiError, type MerchantClient } from '@alipay-kit/client'
import { useAlipayKit } from '@alipay-kit/react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import type { Texts } from '../texts.js'

/** Yesterday in China, yyyy-MM-dd: the latest day Alipay has a bill of. */
function yesterdayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10)
}

/**
 * The merchant page's reconciliation: the last one with its differences, and a day to reconcile
 * now (koa README, "The daily bill").
 */
export function Reconciliation({ merchant, t }: { merchant: MerchantClient; t: Texts }) {
  const { locale } = useAlipayKit()
  const queryClient = useQueryClient()
  const [date, setDate] = useState(yesterdayInChina)
  const last = useQuery({
    queryKey: ['merchant', 'reconciliation'],
    queryFn: async () => {
      const [newest] = await merchant.reconciliations(1)
      return newest ? merchant.reconciliation(newest.id) : null
    },
    refetchInterval: 10_000,
  })
  const run = useMutation({
    mutationFn: (day: string) => merchant.reconcile(day),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['merchant', 'reconciliation'] }),
  })
  const shown = last.data
  return (
    <section className="reconciliation" aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">{t.reconciliation}</h2>
      <p className="muted">{t.reconciliationHint}</p>
      <form
        className="reconcile-form"
        onSubmit={(event: FormEvent) => {
          event.preventDefault()
          run.mutate(date)
        }}
      >
        <label htmlFor="reconcile-date">{t.reconcileDate}</label>
        <input
          id="reconcile-date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
        <button type="submit" className="button small" disabled={run.isPending}>
          {run.isPending ? `${t.reconcile}…` : t.reconcile}
        </button>
      </form>
      {run.error ? (
        <p role="alert" className="error">
          {run.error instanceof AlipayKitApiError
            ? `${run.error.message} (${run.error.explanation[locale].fix})`
            : String(run.error)}
        </p>
      ) : null}
      {shown ? (
        <div data-reconciliation={shown.id} data-status={shown.status}>
          <h3>
            {t.reconciliationOf(shown.date)}: {t.reconciliationStatus[shown.status]}
          </h3>
          <p>{t.reconciliationCounts(shown.billLines, shown.differences, shown.settled)}</p>
          {shown.error ? <p className="muted">{shown.error}</p> : null}
          {shown.items && shown.items.length > 0 ? (
            <table className="lines">
              <tbody>
                {shown.items.map((item) => (
                  <tr key={`${item.kind}-${item.orderId}`} data-kind={item.kind}>
                    <td>
                      <code>{item.orderId}</code>
                    </td>
                    <td>{t.differenceKinds[item.kind]}</td>
                    <td>{item.alipayAmount === null ? '—' : `¥${item.alipayAmount}`}</td>
                    <td title={item.detail}>
                      {item.settled ? t.settledByQuery : t.differenceActions[item.kind]}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : last.isSuccess ? (
        <p>{t.noReconciliation}</p>
      ) : null}
    </section>
  )
}
