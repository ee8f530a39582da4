// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AlipayAddressPicker } from './address-picker.js'
import { AlipayLoginButton } from './login-button.js'
import { AlipayPayButton } from './pay-button.js'
import { PaymentStatus } from './payment-status.js'
import { AlipayProvider } from './provider.js'
import { AlipayUserBadge } from './session.js'

/* Every component renders on a server (no window, no document, no storage) without touching them. */

const render = (node: React.ReactNode) =>
  renderToString(<AlipayProvider baseUrl="https://shop.example">{node}</AlipayProvider>)

describe('server-side rendering', () => {
  it('has no window here', () => {
    expect(typeof window).toBe('undefined')
  })

  it('AlipayLoginButton', () => {
    expect(render(<AlipayLoginButton size="large" />)).toContain('用支付宝登录')
  })

  it('AlipayPayButton', () => {
    const html = render(<AlipayPayButton items={[{ sku: 'tea', quantity: 1 }]} service="page" />)
    expect(html).toContain('支付宝付款')
    expect(html).toContain('<button type="button"')
  })

  it('AlipayUserBadge (nobody known yet: the fallback)', () => {
    expect(render(<AlipayUserBadge fallback={<span>anonymous</span>} />)).toContain('anonymous')
  })

  it('AlipayAddressPicker (regions load in the browser)', () => {
    const html = render(<AlipayAddressPicker />)
    expect(html).toContain('收货人')
    expect(html).toContain('正在加载地区…')
  })

  it('PaymentStatus (connecting until the browser fetches)', () => {
    const html = render(<PaymentStatus orderId="AK20261125ABCDEFGHJKLM" />)
    expect(html).toContain('role="status"')
    expect(html).toContain('正在获取支付状态…')
  })
})
