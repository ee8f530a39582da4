import { createSign, generateKeyPairSync } from 'node:crypto'
import { isAlipayKitError, OPEN_PRODUCTION_GATEWAY } from '@alipay-kit/core'
import {
  api,
  type Harness,
  MERCHANT_SECRET,
  PRODUCTS,
  Shopper,
  startHarness,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AlipayKitOptions, resolveConfig } from '../config.js'
import { catalogPricing } from '../pricing.js'
import type { Store } from '../store/types.js'

/*
 * Issue 25, finding 5: with `open.sellerId` left out, a notification genuinely signed by Alipay for
 * another seller paid the order (an app_id shared by several sellers, or a service provider's, makes
 * that real), and `auth_app_id` (the app of the merchant the message is for) was never read. Against
 * Alipay's own gateways the seller is required; a notification for another merchant's app is refused.
 */

const keys = () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    privateKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  }
}
const app = keys()
const alipay = keys()

const options = (open: Partial<NonNullable<AlipayKitOptions['open']>>): AlipayKitOptions => ({
  publicUrl: 'https://shop.example',
  open: {
    appId: '2021000000000001',
    privateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey,
    ...open,
  },
  store: {} as Store, // never reached: the options are checked first
  pricing: catalogPricing(PRODUCTS),
  merchantApiSecret: MERCHANT_SECRET,
})

describe('the seller is required against Alipay', () => {
  it.each([
    ['production (the default)', undefined],
    ['production, named', OPEN_PRODUCTION_GATEWAY],
    ["Alipay's sandbox", 'https://openapi-sandbox.dl.alipaydev.com/gateway.do'],
  ])('gateway %s without open.sellerId: refused, saying where to find it', (_what, gateway) => {
    let caught: unknown
    try {
      resolveConfig(options(gateway ? { gateway } : {}))
    } catch (error) {
      caught = error
    }
    expect(isAlipayKitError(caught, 'INVALID_CONFIG'), String(caught)).toBe(true)
    expect(caught).toMatchObject({ option: 'open.sellerId' })
    expect((caught as Error).message).toMatch(/open\.sellerId.*2088.*开放平台 → 账户中心/)
  })

  it('a seller id that is not a 2088… user id is refused', () => {
    expect(() => resolveConfig(options({ sellerId: 'seller@shop.example' }))).toThrow(
      /open\.sellerId must be the seller's 16-digit user id starting with 2088/,
    )
  })

  it('with the seller named, or against a gateway that is not Alipay (the simulator), it starts', () => {
    expect(resolveConfig(options({ sellerId: '2088101122136241' })).open).toBeDefined()
    expect(
      resolveConfig(options({ gateway: 'http://127.0.0.1:4010/gateway.do' })).open,
    ).toBeDefined()
  })
})

describe("a notification for another merchant's app (auth_app_id) is refused", () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness()
  })
  afterAll(() => h.close())

  /** An Open Platform notification signed with the simulator's (Alipay's) key, POSTed to the BFF. */
  const post = async (fields: Record<string, string>) => {
    const text = Object.keys(fields)
      .sort()
      .map((k) => `${k}=${fields[k]}`)
      .join('&')
    const sign = createSign('RSA-SHA256')
      .update(text)
      .sign(h.sandbox.credentials.alipayPrivateKey, 'base64')
    const response = await fetch(`${h.bff.url}/alipay/notify`, {
      method: 'POST',
      body: new URLSearchParams({ ...fields, sign, sign_type: 'RSA2' }),
    })
    return [response.status, await response.text()]
  }
  const logOf = async (id: string) =>
    (
      await api<any>(`${h.bff.url}/api/merchant/orders/${id}`, {
        headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
      })
    ).body.notifications.map((n: any) => `${n.outcome}${n.code ? `:${n.code}` : ''}`)

  it('our app_id and seller, but auth_app_id of another app: fail, logged WRONG_APP; ours: paid', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page')
    await buyer.browser.open(created.payment.url)
    const id = created.order.id
    const c = h.sandbox.credentials
    const fields = {
      app_id: c.appId,
      notify_id: `n-auth-${id}`,
      notify_time: '2024-05-01 12:00:00',
      out_trade_no: id,
      trade_no: `2024050122001400000000${Date.now() % 1000}`,
      trade_status: 'TRADE_SUCCESS',
      total_amount: created.order.amount,
      seller_id: c.partner,
    }
    expect(await post({ ...fields, auth_app_id: '2021009999999999' })).toEqual([400, 'fail'])
    expect(await logOf(id)).toEqual(['rejected:WRONG_APP'])
    expect((await buyer.orderView(id)).paid).toBe(false)
    // The same message for our own app is accepted: only auth_app_id made the difference.
    expect(await post({ ...fields, auth_app_id: c.appId })).toEqual([200, 'success'])
    expect(await logOf(id)).toContain('applied')
    expect((await buyer.orderView(id)).paid).toBe(true)
  })
})
