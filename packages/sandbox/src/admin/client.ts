import { AlipayKitError } from '@alipay-kit/core'
import type { SandboxCredentials } from '../credentials.js'
import type { Faults } from '../faults.js'
import type { TradeAction } from '../simulator.js'
import type { DeliveryView, TradeView } from './views.js'

/** A typed client for the simulator's admin API, for tests and scripts. */
export class SandboxAdmin {
  constructor(readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    })
    const data = (await response.json()) as T & { error?: string }
    if (!response.ok)
      throw new AlipayKitError(
        response.status === 404
          ? 'NOT_FOUND'
          : response.status === 409
            ? 'ACTION_NOT_ALLOWED'
            : 'INVALID_INPUT',
        `sandbox admin ${method} ${path}: ${response.status} ${data.error ?? ''}`,
      )
    return data
  }

  credentials(): Promise<SandboxCredentials> {
    return this.call('GET', '/credentials')
  }
  trades(): Promise<TradeView[]> {
    return this.call('GET', '/trades')
  }
  trade(outTradeNo: string): Promise<{
    trade: TradeView
    deliveries: DeliveryView[]
    returns: Array<{ url: string | undefined; dropped: boolean }>
  }> {
    return this.call('GET', `/trades/${encodeURIComponent(outTradeNo)}`)
  }
  /** Pays as a simulated buyer without a browser; `choice` is the dual interface's. */
  pay(
    outTradeNo: string,
    options: { buyerId?: string; choice?: 'escrow' | 'instant' } = {},
  ): Promise<{ trade: TradeView; returnUrl: string | null }> {
    return this.call('POST', `/trades/${encodeURIComponent(outTradeNo)}/pay`, options)
  }
  act(outTradeNo: string, action: TradeAction): Promise<{ trade: TradeView }> {
    return this.call('POST', `/trades/${encodeURIComponent(outTradeNo)}/actions/${action}`, {})
  }
  /** The seller changes an unpaid escrow or dual trade's price at Alipay (修改交易价格). */
  adjustPrice(outTradeNo: string, amount: string): Promise<{ trade: TradeView }> {
    return this.call('POST', `/trades/${encodeURIComponent(outTradeNo)}/adjust`, { amount })
  }
  release(outTradeNo: string): Promise<{ released: number }> {
    return this.call('POST', `/trades/${encodeURIComponent(outTradeNo)}/release`, {})
  }
  setFaults(faults: Faults, outTradeNo?: string): Promise<{ faults: Faults }> {
    return this.call(
      'PUT',
      outTradeNo === undefined ? '/faults' : `/trades/${encodeURIComponent(outTradeNo)}/faults`,
      faults,
    )
  }
  clearFaults(): Promise<unknown> {
    return this.call('DELETE', '/faults')
  }
  faultLog(): Promise<Array<{ at: number; outTradeNo: string; faults: string[] }>> {
    return this.call('GET', '/faults/log')
  }
  deliveries(outTradeNo?: string): Promise<DeliveryView[]> {
    return this.call(
      'GET',
      `/deliveries${outTradeNo ? `?outTradeNo=${encodeURIComponent(outTradeNo)}` : ''}`,
    )
  }
  settings(settings: {
    contract?: string[]
    antiPhishing?: boolean
    etaoTargetUrl?: string | null
  }): Promise<unknown> {
    return this.call('PUT', '/settings', settings)
  }
  /**
   * The URL of a quick-login return that etao started (no state of the shop's): with `buyerId`
   * the buyer is logged in at Alipay or Taobao, without it only target_url and notify_id come.
   */
  etaoReturn(input: {
    returnUrl: string
    targetUrl: string
    buyerId?: string
  }): Promise<{ url: string }> {
    return this.call('POST', '/etao/return', input)
  }
  /** A paid trade the shop never created: it appears in the day's bill only. */
  foreignTrade(input: {
    amount: string
    outTradeNo?: string
    subject?: string
  }): Promise<{ trade: TradeView }> {
    return this.call('POST', '/trades', input)
  }
  /** The simulator's time. */
  clock(): Promise<{ now: string; nowMs: number }> {
    return this.call('GET', '/clock')
  }
  /** Moves the simulator's test clock forward: expiries, retries and deliveries that fall due run. */
  advanceClock(ms: number): Promise<{ now: string; nowMs: number }> {
    return this.call('POST', '/clock', { advanceMs: ms })
  }
  /** Trade queries per out_trade_no: how many, and how many at once at most. */
  queries(): Promise<Record<string, { count: number; maxInFlight: number }>> {
    return this.call('GET', '/queries')
  }
  /** A quick-login token for a buyer, as if the buyer had logged in. */
  token(buyerId: string): Promise<{ token: string }> {
    return this.call('POST', '/tokens', { buyerId })
  }
}
