import type { QrStart } from '@alipay-kit/client'

/** What the scan page shows for a `qr` order just created here (kept for this tab, like its token). */
export interface StoredQr {
  readonly qr: QrStart
  readonly amount: string
}

const key = (orderId: string) => `tea-house:qr:${orderId}`

export function rememberQr(orderId: string, stored: StoredQr): void {
  try {
    window.sessionStorage.setItem(key(orderId), JSON.stringify(stored))
  } catch {
    // Storage disabled: the scan page asks the BFF for a new code of the same order.
  }
}

export function storedQr(orderId: string): StoredQr | undefined {
  try {
    return JSON.parse(window.sessionStorage.getItem(key(orderId)) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}
