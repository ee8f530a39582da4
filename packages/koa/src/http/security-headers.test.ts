import { describe, expect, it } from 'vitest'
import type { ResolvedConfig } from '../config.js'
import { alipayOrigins } from './security-headers.js'

const config = (legacy?: string, open?: string) =>
  ({
    publicUrl: 'https://shop.example',
    legacy: legacy ? { config: { gateway: legacy } } : undefined,
    open: open ? { config: { gateway: open } } : undefined,
  }) as unknown as ResolvedConfig

describe('the Alipay origins a payment form may go to', () => {
  it('Alipay’s gateways and, since the gateway redirects the form to the cashier, its hosts', () => {
    expect(
      alipayOrigins(
        config('https://mapi.alipay.com/gateway.do', 'https://openapi.alipay.com/gateway.do'),
      ),
    ).toEqual([
      'https://mapi.alipay.com',
      'https://openapi.alipay.com',
      'https://*.alipay.com',
      'https://*.alipaydev.com',
    ])
  })

  it('a simulator: its origin alone, not Alipay’s', () => {
    expect(alipayOrigins(config('http://127.0.0.1:4010/gateway.do'))).toEqual([
      'http://127.0.0.1:4010',
    ])
  })
})
