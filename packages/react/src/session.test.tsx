import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlipayLoginButton } from './login-button.js'
import { AlipayProvider } from './provider.js'
import { AlipayUserBadge } from './session.js'
import { countingFetch, type Harness, Shopper, startHarness } from './test-support/bff.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

describe('AlipayUserBadge', () => {
  it('greets a quick-login member as "你好，支付宝用户" + name, and logs out', async () => {
    const buyer = new Shopper(h.bff.url)
    await buyer.logIn('/', '2088102000000002')
    const { fetch, count } = countingFetch(() => buyer.cookie)
    render(
      <AlipayProvider baseUrl={h.bff.url} fetch={fetch}>
        <AlipayUserBadge fallback={<AlipayLoginButton />} />
      </AlipayProvider>,
    )
    expect(await screen.findByText('你好，支付宝用户李四')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: '退出' }))
    await screen.findByRole('button', { name: '用支付宝登录' })
    expect(count('/api/logout')).toBe(1)
    expect((await buyer.call('/api/session')).body.user).toBeNull()
  })

  it('shows the fallback to an anonymous buyer, in English too', async () => {
    render(
      <AlipayProvider baseUrl={h.bff.url} locale="en">
        <AlipayUserBadge fallback={<AlipayLoginButton />} />
      </AlipayProvider>,
    )
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Log in with Alipay' })).toBeTruthy(),
    )
    expect(screen.queryByText(/Alipay user/)).toBeNull()
  })
})
