import { render, screen } from '@testing-library/react'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AlipayLoginButton } from './login-button.js'
import { PaymentStatus } from './payment-status.js'
import { AlipayProvider, useAlipayKit } from './provider.js'

/** Shows what the provider gives. */
function Probe() {
  const { locale, messages } = useAlipayKit()
  return <p>{`${locale}: ${messages.payLabel}`}</p>
}

describe('AlipayProvider', () => {
  it.each([
    ['AlipayLoginButton', () => <AlipayLoginButton />],
    ['PaymentStatus', () => <PaymentStatus orderId="AK1" />],
  ])('%s outside it says to wrap the tree', (name, Component) => {
    expect(() => renderToString(<Component />)).toThrow(
      `Could not find AlipayProvider; wrap the part of your app that uses ${name} in <AlipayProvider>`,
    )
  })

  it('gives the language and theme to what it wraps', () => {
    const { container } = render(
      <AlipayProvider locale="en" theme={{ primary: '#00a0e9', radius: '0' }}>
        <Probe />
      </AlipayProvider>,
    )
    expect(screen.getByText('en: Pay with Alipay')).toBeTruthy()
    const root = container.querySelector('.akit-root') as HTMLElement
    expect(root.getAttribute('lang')).toBe('en')
    expect(root.style.getPropertyValue('--akit-primary')).toBe('#00a0e9')
    expect(root.style.getPropertyValue('--akit-radius')).toBe('0')
  })
})
