import { PAY_SERVICE_NAMES } from '@alipay-kit/client'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { StrictMode } from 'react'
import { siAlipay } from 'simple-icons'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AlipayLoginButton } from './login-button.js'
import { cashierVisited, orderToken } from './order-tokens.js'
import { AlipayPayButton } from './pay-button.js'
import { AlipayProvider } from './provider.js'
import {
  countingFetch,
  type Harness,
  recordingNavigator,
  SAMPLE_ADDRESS,
  startHarness,
} from './test-support/bff.js'

let h: Harness
beforeAll(async () => {
  // Every service offered, the QR code too.
  h = await startHarness({ services: PAY_SERVICE_NAMES })
})
afterAll(() => h.close())

const ordersInStore = async () =>
  Number((await h.store.query<{ n: number }>('select count(*)::int as n from akit_orders'))[0]?.n)

describe('AlipayLoginButton', () => {
  it('sends the buyer to the BFF login with the current page as returnTo', async () => {
    window.history.replaceState(null, '', '/products/longjing?ref=home')
    const { navigator, visits } = recordingNavigator()
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
        <AlipayLoginButton />
      </AlipayProvider>,
    )
    const button = screen.getByRole('button', { name: '用支付宝登录' })
    button.focus()
    await userEvent.keyboard('{Enter}') // keyboard operable
    expect(visits).toEqual([
      {
        kind: 'assign',
        url: `${h.bff.url}/api/login?returnTo=%2Fproducts%2Flongjing%3Fref%3Dhome`,
      },
    ])
  })

  it('at checkout returns to the order form; sizes, orientation and an official PNG', async () => {
    const { navigator, visits } = recordingNavigator()
    const { container } = render(
      <AlipayProvider navigator={navigator} locale="en">
        <AlipayLoginButton returnTo="/checkout" size="large" orientation="vertical" via="oauth" />
        <AlipayLoginButton imageSrc="/images/alipay_fl_v_m.png" />
      </AlipayProvider>,
    )
    fireEvent.click(screen.getAllByRole('button', { name: 'Log in with Alipay' })[0] as HTMLElement)
    expect(visits[0]).toEqual({ kind: 'assign', url: '/api/login?returnTo=%2Fcheckout&via=oauth' })
    expect(container.querySelector('.akit-large.akit-vertical svg.akit-mark')).toBeTruthy()
    const image = screen.getByRole('img', { name: 'Log in with Alipay' })
    expect(image.getAttribute('src')).toBe('/images/alipay_fl_v_m.png')
  })

  it("draws Alipay's own mark (simple-icons, from Alipay's design guidelines), not a redrawing", () => {
    const { container } = render(
      <AlipayProvider>
        <AlipayLoginButton />
      </AlipayProvider>,
    )
    const path = container.querySelector('svg.akit-mark path')?.getAttribute('d')
    expect(path).toBe(siAlipay.path)
    expect(siAlipay.guidelines).toMatch(/alipay\.com/)
  })
})

describe('AlipayPayButton', () => {
  it('creates one order however often it is clicked, then posts the signed form to Alipay', async () => {
    const { navigator, visits } = recordingNavigator()
    const before = await ordersInStore()
    const created = vi.fn()
    render(
      <StrictMode>
        <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
          <AlipayPayButton
            items={[{ sku: 'tea-longjing', quantity: 2 }]}
            service="instant"
            onCreated={created}
          />
        </AlipayProvider>
      </StrictMode>,
    )
    const button = screen.getByRole('button', { name: '支付宝付款' })
    fireEvent.click(button)
    fireEvent.click(button)
    fireEvent.click(button)
    expect(button.getAttribute('aria-busy')).toBe('true')
    expect((button as HTMLButtonElement).disabled).toBe(true)
    expect(button.textContent).toContain('正在前往支付宝…')
    await waitFor(() => expect(visits).toHaveLength(1))
    expect(await ordersInStore()).toBe(before + 1)
    expect(created).toHaveBeenCalledTimes(1)
    const [{ order }] = created.mock.calls[0] as [{ order: { id: string; amount: string } }]
    expect(order.amount).toBe('256.00')
    expect(visits[0]).toMatchObject({
      kind: 'post',
      action: `${h.sandbox.gatewayUrl}?_input_charset=utf-8`,
      fields: {
        service: 'create_direct_pay_by_user',
        out_trade_no: order.id,
        total_fee: '256.00',
        sign_type: 'MD5',
      },
    })
    expect(orderToken(order.id)).toMatch(/^[A-Za-z0-9_-]{32}$/) // kept for the result page
    expect(cashierVisited(order.id)).toBe(true) // the result page may now say "confirming"
    // Still busy: the page is leaving for Alipay.
    expect((button as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows the official button image when given, and still says why it is busy', async () => {
    const { navigator, visits } = recordingNavigator()
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
        <AlipayPayButton
          items={[{ sku: 'cup', quantity: 1 }]}
          service="page"
          imageSrc="/images/alipay_pay_button.png"
        />
      </AlipayProvider>,
    )
    const image = screen.getByRole('img', { name: '支付宝付款' })
    expect(image.getAttribute('src')).toBe('/images/alipay_pay_button.png')
    const button = screen.getByRole('button', { name: '支付宝付款' })
    expect(button.querySelector('svg.akit-mark')).toBeNull()
    fireEvent.click(button)
    expect(button.textContent).toContain('正在前往支付宝…')
    await waitFor(() => expect(visits).toHaveLength(1))
  })

  it('wap pay goes by URL', async () => {
    const { navigator, visits } = recordingNavigator()
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
        <AlipayPayButton items={[{ sku: 'cup', quantity: 1 }]} service="wap" />
      </AlipayProvider>,
    )
    fireEvent.click(screen.getByRole('button'))
    await waitFor(() => expect(visits).toHaveLength(1))
    expect(visits[0]?.kind).toBe('assign')
    expect((visits[0] as { url: string }).url).toContain('method=alipay.trade.wap.pay')
  })

  it.each([
    ['zh-CN', '商品或数量有误', '刷新商品列表后重新下单'],
    ['en', 'An item or quantity is not available', 'Reload the catalog and order again'],
  ] as const)(
    'shows the BFF’s error in %s, passes it to onError, and can be clicked again',
    async (locale, cause, fix) => {
      const { navigator, visits } = recordingNavigator()
      const onError = vi.fn()
      render(
        <AlipayProvider baseUrl={h.bff.url} navigator={navigator} locale={locale}>
          <AlipayPayButton
            items={[{ sku: 'caviar', quantity: 1 }]}
            service="page"
            onError={onError}
          />
        </AlipayProvider>,
      )
      fireEvent.click(screen.getByRole('button'))
      const alert = await screen.findByRole('alert')
      expect(alert.textContent).toBe(`${cause}：${fix}`)
      expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'PRICING', field: 'items.0.sku' })
      expect(visits).toEqual([])
      expect((screen.getByRole('button') as HTMLButtonElement).disabled).toBe(false)
    },
  )

  it('says so when the BFF cannot be reached', async () => {
    render(
      <AlipayProvider baseUrl="http://127.0.0.1:9" navigator={recordingNavigator().navigator}>
        <AlipayPayButton items={[{ sku: 'cup', quantity: 1 }]} service="page" />
      </AlipayProvider>,
    )
    fireEvent.click(screen.getByRole('button'))
    expect((await screen.findByRole('alert')).textContent).toBe(
      '无法连接商户服务器：检查网络后重试',
    )
  })

  it('sends the address and never an amount', async () => {
    const { fetch: counted } = countingFetch()
    const bodies: string[] = []
    const spy: typeof fetch = (input, init) => {
      if (init?.body) bodies.push(String(init.body))
      return counted(input, init)
    }
    const { navigator, visits } = recordingNavigator()
    const address = SAMPLE_ADDRESS
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator} fetch={spy}>
        <AlipayPayButton items={[{ sku: 'cup', quantity: 1 }]} service="escrow" address={address} />
      </AlipayProvider>,
    )
    fireEvent.click(screen.getByRole('button'))
    await waitFor(() => expect(visits).toHaveLength(1))
    expect(JSON.parse(bodies[0] as string)).toEqual({
      items: [{ sku: 'cup', quantity: 1 }],
      service: 'escrow',
      address,
    })
    expect((visits[0] as { fields: Record<string, string> }).fields).toMatchObject({
      receive_name: '张三',
    })
  })

  it('with the qr service creates the order and hands its QR code to onCreated, leaving for nowhere', async () => {
    const { navigator, visits } = recordingNavigator()
    const created = vi.fn()
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
        <AlipayPayButton items={[{ sku: 'cup', quantity: 1 }]} service="qr" onCreated={created}>
          扫码付款
        </AlipayPayButton>
      </AlipayProvider>,
    )
    const button = screen.getByRole('button', { name: '扫码付款' })
    fireEvent.click(button)
    expect(button.textContent).toContain('正在生成付款二维码…')
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1))
    const [{ order, payment }] = created.mock.calls[0] as [
      { order: { id: string }; payment: { kind: string; qrCode: string } },
    ]
    expect(payment.kind).toBe('qr')
    expect(payment.qrCode.startsWith(`${h.sandbox.url}/qr/`)).toBe(true)
    expect(visits).toEqual([])
    expect(orderToken(order.id)).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(cashierVisited(order.id)).toBe(false) // scanning is not the cashier
  })
})
