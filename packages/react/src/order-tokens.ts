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
