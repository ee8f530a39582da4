/*
 * An order's access token lets this browser read the order without a session (after a redirect
 * through Alipay in another tab, say). It is kept in sessionStorage: this tab, this visit.
 */
const key = (orderId: string) => `alipay-kit:order:${orderId}`

export function rememberOrderToken(orderId: string, token: string): void {
  try {
    window.sessionStorage.setItem(key(orderId), token)
  } catch {
    // Storage disabled (private mode): the session cookie still identifies the buyer.
  }
}

export function orderToken(orderId: string): string | undefined {
  try {
    return typeof window === 'undefined'
      ? undefined
      : (window.sessionStorage.getItem(key(orderId)) ?? undefined)
  } catch {
    return undefined
  }
}

/*
 * That this tab sent the buyer to Alipay's cashier for an order (the pay button records it just
 * before leaving): only then may the order page say the payment is being confirmed.
 */
const visitKey = (orderId: string) => `alipay-kit:cashier:${orderId}`

export function rememberCashierVisit(orderId: string): void {
  try {
    window.sessionStorage.setItem(visitKey(orderId), String(Date.now()))
  } catch {
    // Storage disabled: the order's `confirming` (set when the buyer comes back) still says it.
  }
}

export function cashierVisited(orderId: string): boolean {
  try {
    return (
      typeof window !== 'undefined' && window.sessionStorage.getItem(visitKey(orderId)) !== null
    )
  } catch {
    return false
  }
}
