import type { CashierService, CreateOrderResult, OrderView, PayService } from '@alipay-kit/client'
import { expect } from 'vitest'
import { TestBrowser } from './browser.js'

/**
 * A buyer with a browser, talking to one BFF the way the SPA would: JSON calls carry the
 * browser's session cookie, and Alipay's pages are clicked through in the same browser.
 */
export class Shopper {
  readonly browser = new TestBrowser()

  constructor(readonly bffUrl: string) {}

  get cookie(): string {
    const sid = this.browser.cookie('127.0.0.1', 'akit_sid')
    return sid ? `akit_sid=${sid}` : ''
  }

  /** JSON to the BFF as the SPA sends it: the browser's cookies and the kit's CSRF header. */
  async call<T = any>(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const response = await this.browser.fetch(`${this.bffUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        'x-alipay-kit': '1',
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? null : JSON.stringify(init.body),
    })
    const text = await response.text()
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T }
  }

  saveCart(items: Array<{ sku: string; quantity: number }>) {
    return this.call('/api/cart', { method: 'PUT', body: { items } })
  }

  async logIn(returnTo: string, buyerId = '2088102000000001', via?: 'oauth') {
    await this.browser.open(
      `${this.bffUrl}/api/login?returnTo=${encodeURIComponent(returnTo)}${via ? `&via=${via}` : ''}`,
    )
    await this.browser.logIn(buyerId)
    return this.browser.url
  }

  async order<S extends PayService>(
    service: S,
    items: Array<{ sku: string; quantity: number }> = [{ sku: 'tea-longjing', quantity: 1 }],
    address?: unknown,
  ): Promise<CreateOrderResult<S>> {
    // As the shop does, the items are in the browser's cart first, which starts its session (an
    // empty cart keeps none): the order then counts against this browser's limits too.
    if (!this.cookie) await this.saveCart(items)
    const { status, body } = await this.call<CreateOrderResult<S>>('/api/orders', {
      method: 'POST',
      body: { items, service, ...(address ? { address } : {}) },
    })
    expect(status, JSON.stringify(body)).toBe(201)
    return body
  }

  /** Goes to Alipay with the order's payment, logs in if asked, pays, and follows the return (if any). */
  async pay(
    created: CreateOrderResult<CashierService>,
    options: { buyerId?: string; choice?: 'escrow' | 'instant'; follow?: boolean } = {},
  ) {
    await this.browser.open(created.payment.url)
    if (this.browser.html.includes('登录支付宝')) await this.browser.logIn(options.buyerId)
    await this.browser.pay(options.choice)
    if (options.follow !== false && this.browser.html.includes('id="return"'))
      await this.browser.back()
    return this.browser
  }

  /**
   * Pays an order without walking the cashier: the payment request reaches the simulator (which
   * opens the trade), its admin pays it, and the order is awaited until the BFF shows it paid
   * (Alipay's notification applied). For tests about what follows a payment; `pay` is the buyer's way.
   */
  async payAtSimulator(
    sandbox: { admin: { pay(outTradeNo: string): Promise<unknown> } },
    created: { order: { id: string }; payment: { url: string } },
  ): Promise<OrderView> {
    await fetch(created.payment.url, { redirect: 'manual' })
    await sandbox.admin.pay(created.order.id)
    return this.waitFor(created.order.id, (order) => order.paid)
  }

  async orderView(id: string): Promise<OrderView> {
    const { status, body } = await this.call<OrderView>(`/api/orders/${id}`)
    expect(status).toBe(200)
    return body
  }

  /** Polls the order (as the SPA's fallback would) until `check` holds. */
  async waitFor(
    id: string,
    check: (order: OrderView) => boolean,
    timeout = 5_000,
  ): Promise<OrderView> {
    let last: OrderView | undefined
    await expect
      .poll(
        async () => {
          last = await this.orderView(id)
          return check(last)
        },
        { timeout, interval: 50 },
      )
      .toBe(true)
    return last as OrderView
  }
}
