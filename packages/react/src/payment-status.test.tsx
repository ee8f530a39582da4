import { act, render, screen, waitFor } from '@testing-library/react'
import { EventSource as NodeEventSource } from 'eventsource'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { rememberCashierVisit } from './order-tokens.js'
import { PaymentStatus } from './payment-status.js'
import { AlipayProvider } from './provider.js'
import { countingFetch, type Harness, Shopper, startHarness } from './test-support/bff.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An order that reached Alipay's cashier, not paid yet. */
async function openOrder(service: 'instant' | 'escrow' = 'instant') {
  const buyer = new Shopper(h.bff.url)
  const created = await buyer.order(service, [{ sku: 'cup', quantity: 1 }])
  await buyer.browser.open(created.payment.url)
  return created
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state })
  document.dispatchEvent(new Event('visibilitychange'))
}
afterEach(() => setVisibility('visible'))

/** Renders the status of a new unpaid order, counting the requests for that order. */
async function renderCountedStatus(pollMs: number, maxPollMs: number) {
  const created = await openOrder()
  const path = `/api/orders/${created.order.id}`
  const { fetch, count } = countingFetch()
  render(
    <AlipayProvider baseUrl={h.bff.url} fetch={fetch}>
      <PaymentStatus
        orderId={created.order.id}
        accessToken={created.accessToken}
        pollMs={pollMs}
        maxPollMs={maxPollMs}
      />
    </AlipayProvider>,
  )
  return { created, requests: () => count(path) }
}

describe('PaymentStatus, polling (no server-sent events in this browser)', () => {
  it('polls while waiting, shows the change, and stops for good at a final state', async () => {
    const { created, requests } = await renderCountedStatus(100, 100)
    const status = await screen.findByRole('status')
    expect(status.getAttribute('aria-live')).toBe('polite')
    await screen.findByText('等待付款')
    await sleep(550)
    const whileWaiting = requests()
    expect(whileWaiting).toBeGreaterThanOrEqual(4) // 1 + one every 100 ms
    await h.sandbox.admin.pay(created.order.id)
    await screen.findByText('付款成功')
    expect(status.getAttribute('data-transport')).toBe('stopped')
    const atFinal = requests()
    await sleep(600)
    expect(requests()).toBe(atFinal) // no request after the final state
  })

  it('backs off: the interval doubles while nothing changes', async () => {
    const { requests } = await renderCountedStatus(50, 400)
    await screen.findByText('等待付款')
    await sleep(1_200)
    // 50, 100, 200, 400, 400 ms: about 6 requests where a fixed 50 ms would make 24.
    const made = requests()
    expect(made).toBeGreaterThanOrEqual(4)
    expect(made).toBeLessThanOrEqual(8)
  })

  it('pauses while the tab is hidden and catches up at once when it returns', async () => {
    const { created, requests } = await renderCountedStatus(80, 80)
    await screen.findByText('等待付款')
    act(() => setVisibility('hidden'))
    expect(screen.getByRole('status').getAttribute('data-transport')).toBe('paused')
    await sleep(100)
    const hidden = requests()
    await h.sandbox.admin.pay(created.order.id) // paid while nobody looks
    await sleep(500)
    expect(requests()).toBe(hidden)
    expect(screen.getByText('等待付款')).toBeTruthy()
    act(() => setVisibility('visible'))
    await screen.findByText('付款成功')
    expect(requests()).toBe(hidden + 1)
  })

  it('an order page opened before paying never says the payment is being confirmed', async () => {
    const created = await openOrder()
    render(
      <AlipayProvider baseUrl={h.bff.url}>
        <PaymentStatus
          orderId={created.order.id}
          accessToken={created.accessToken}
          stallAfterMs={300}
          pollMs={200}
        />
      </AlipayProvider>,
    )
    await screen.findByText('等待付款')
    await sleep(1_200)
    expect(screen.queryByText(/支付结果确认中/)).toBeNull()
    expect(screen.getByText('等待付款')).toBeTruthy()
  })

  it('after a while without news, once this tab sent the buyer to the cashier, tells the buyer the payment is still being confirmed', async () => {
    const created = await openOrder()
    rememberCashierVisit(created.order.id) // what the pay button does before leaving for Alipay
    render(
      <AlipayProvider baseUrl={h.bff.url}>
        <PaymentStatus
          orderId={created.order.id}
          accessToken={created.accessToken}
          stallAfterMs={300}
          pollMs={200}
        />
      </AlipayProvider>,
    )
    await screen.findByText('等待付款')
    expect(screen.queryByText(/支付结果确认中/)).toBeNull()
    expect(
      await screen.findByText('支付结果确认中，请稍候；无需重复付款', {}, { timeout: 3_000 }),
    ).toBeTruthy()
  })

  it('renders each phase its own way through children, in English too', async () => {
    const created = await openOrder('escrow')
    render(
      <AlipayProvider baseUrl={h.bff.url} locale="en">
        <PaymentStatus
          orderId={created.order.id}
          accessToken={created.accessToken}
          pollMs={50}
          maxPollMs={50}
        >
          {({ order, transport }) => (
            <output>{order ? `${order.phase} via ${transport}` : 'loading'}</output>
          )}
        </PaymentStatus>
      </AlipayProvider>,
    )
    expect(await screen.findByText('waiting via polling')).toBeTruthy()
    await h.sandbox.admin.pay(created.order.id)
    expect(await screen.findByText('paid via polling')).toBeTruthy() // escrow: paid is not final
    await h.sandbox.admin.act(created.order.id, 'ship')
    expect(await screen.findByText('shipped via polling')).toBeTruthy()
    await h.sandbox.admin.act(created.order.id, 'confirm')
    expect(await screen.findByText('finished via stopped')).toBeTruthy()
  })
})

describe('PaymentStatus, server-sent events', () => {
  beforeAll(() => {
    ;(globalThis as { EventSource?: unknown }).EventSource = NodeEventSource
  })
  afterAll(() => {
    delete (globalThis as { EventSource?: unknown }).EventSource
  })

  it('follows the BFF’s event stream instead of polling', async () => {
    const { created, requests } = await renderCountedStatus(100, 100)
    await screen.findByText('等待付款')
    await waitFor(() =>
      expect(screen.getByRole('status').getAttribute('data-transport')).toBe('sse'),
    )
    const polled = requests()
    await h.sandbox.admin.pay(created.order.id)
    await screen.findByText('付款成功')
    expect(requests()).toBeLessThanOrEqual(polled + 1) // the event, not a poll, brought it
    expect(screen.getByRole('status').getAttribute('data-transport')).toBe('stopped')
  })
})
