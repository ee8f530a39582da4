import { generateCredentials } from '@alipay-kit/sandbox'
import { LogCapture, MERCHANT_SECRET, openTestStore, PRODUCTS } from '@alipay-kit/testing'
import Koa from 'koa'
import { inject } from 'light-my-request'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AlipayKit, createAlipayKit } from './kit.js'
import { catalogPricing } from './pricing.js'
import type { Store } from './store/types.js'

/*
 * Every route in process (app.callback(), no port): input checks, CSRF, CORS, ownership, the
 * merchant's authentication. Flows that need Alipay run against the simulator in flows.test.ts.
 */

const SPA = 'https://shop.example'
const credentials = generateCredentials()
let store: Store
let kit: AlipayKit
let app: Koa
const logs = new LogCapture()

beforeAll(async () => {
  store = await openTestStore()
  kit = await createAlipayKit({
    publicUrl: 'https://bff.shop.example',
    appOrigins: [SPA],
    legacy: {
      partner: credentials.partner,
      key: credentials.key,
      gateway: 'http://127.0.0.1:9/gateway.do',
    },
    open: {
      appId: credentials.appId,
      privateKey: credentials.appPrivateKey,
      alipayPublicKey: credentials.alipayPublicKey,
      gateway: 'http://127.0.0.1:9/gateway.do',
    },
    store,
    pricing: catalogPricing(PRODUCTS),
    merchantApiSecret: MERCHANT_SECRET,
    logger: pino({ level: 'info' }, logs),
    // These tests call the login and order routes many times at once: a whole minute's allowance
    // at once (src/limits.test.ts tests the pace).
    rateLimits: { burstMs: 60_000 },
  })
  app = new Koa()
  app.proxy = true
  app.use(kit.middleware)
})
afterAll(async () => {
  await kit.close()
  await store.close()
})

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS'
async function call(
  method: Method,
  url: string,
  options: { body?: unknown; headers?: Record<string, string>; cookie?: string; raw?: string } = {},
) {
  const response = await inject(app.callback(), {
    method,
    url,
    headers: {
      ...(options.body !== undefined
        ? { 'content-type': 'application/json', 'x-alipay-kit': '1' }
        : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    ...(options.raw !== undefined ? { payload: options.raw } : {}),
  })
  const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? [])
  const sid = setCookie.map((line) => /^akit_sid=([^;]+)/.exec(line)?.[1]).find(Boolean)
  let json: any
  try {
    json = JSON.parse(response.payload)
  } catch {
    json = undefined
  }
  return {
    status: response.statusCode,
    json,
    text: response.payload,
    headers: response.headers,
    setCookie,
    cookie: sid ? `akit_sid=${sid}` : undefined,
  }
}

/** A browser with a session (a cart with something in it: an empty one keeps no session). */
async function newBrowser(): Promise<string> {
  const { cookie } = await call('PUT', '/api/cart', {
    body: { items: [{ sku: 'cup', quantity: 1 }] },
  })
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

describe('session and cart', () => {
  it('answers an anonymous session with the services and login methods on offer', async () => {
    const { status, json } = await call('GET', '/api/session')
    expect(status).toBe(200)
    expect(json).toEqual({
      user: null,
      services: ['instant', 'escrow', 'dual', 'digital', 'donation', 'page', 'wap'],
      loginMethods: ['quick_login', 'oauth'],
      alipayOnly: false,
    })
  })

  it('keeps a cart in an httpOnly, SameSite=Lax session cookie, Secure over https', async () => {
    const first = await call('PUT', '/api/cart', {
      body: { items: [{ sku: 'cup', quantity: 2 }] },
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(first.status).toBe(200)
    expect(first.setCookie[0]).toMatch(/httponly/i)
    expect(first.setCookie[0]).toMatch(/samesite=lax/i)
    expect(first.setCookie[0]).toMatch(/secure/i)
    const plain = await call('PUT', '/api/cart', { body: { items: [{ sku: 'cup', quantity: 1 }] } })
    expect(plain.setCookie[0]).not.toMatch(/secure/i)
    const cart = await call('GET', '/api/cart', { cookie: first.cookie as string })
    expect(cart.json).toEqual({ items: [{ sku: 'cup', quantity: 2 }] })
  })

  it.each([
    [{ items: [{ sku: 'cup', quantity: 0 }] }, 'items.0.quantity'],
    [{ items: [{ sku: '../etc', quantity: 1 }] }, 'items.0.sku'],
    [{ items: [{ sku: 'cup', quantity: 1, price: '0.01' }] }, 'items.0'],
    [{ items: 'cup' }, 'items'],
  ])('refuses cart %j naming %s', async (body, field) => {
    const { status, json } = await call('PUT', '/api/cart', { body })
    expect(status).toBe(400)
    expect(json.error).toMatchObject({ code: 'INVALID_INPUT', field })
    expect(json.error['zh-CN'].cause).toBeTruthy()
  })
})

describe('cross-site protection', () => {
  it('refuses a state-changing request without the kit header (a cross-site form cannot send one)', async () => {
    const { status, json } = await call('PUT', '/api/cart', {
      raw: '{"items":[]}',
      headers: { 'content-type': 'application/json' },
    })
    expect(status).toBe(403)
    expect(json.error.code).toBe('CSRF')
  })

  it('refuses a request from another origin, and allows the SPA’s', async () => {
    const evil = await call('POST', '/api/logout', {
      body: {},
      headers: { origin: 'https://evil.example' },
    })
    expect(evil.status).toBe(403)
    const spa = await call('POST', '/api/logout', { body: {}, headers: { origin: SPA } })
    expect(spa.status).toBe(204)
    expect(spa.headers['access-control-allow-origin']).toBe(SPA)
    expect(spa.headers['access-control-allow-credentials']).toBe('true')
  })

  it('answers CORS preflights for the SPA only', async () => {
    const ok = await call('OPTIONS', '/api/orders', {
      headers: { origin: SPA, 'access-control-request-method': 'POST' },
    })
    expect(ok.status).toBe(204)
    expect(ok.headers['access-control-allow-headers']).toContain('x-alipay-kit')
    const evil = await call('OPTIONS', '/api/orders', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(evil.status).toBe(403)
    expect(evil.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('login redirects', () => {
  const returnToOf = async (returnTo: string) => {
    const response = await call('GET', `/api/login?returnTo=${encodeURIComponent(returnTo)}`)
    expect(response.status).toBe(302)
    const location = new URL(response.headers.location as string)
    expect(location.searchParams.get('service')).toBe('alipay.auth.authorize')
    const returnUrl = location.searchParams.get('return_url') as string
    expect(returnUrl).toMatch(
      /^https:\/\/bff\.shop\.example\/alipay\/login\/return\/[A-Za-z0-9_-]{32}$/,
    )
    const rows = await store.query<{ return_to: string }>(
      'select return_to from akit_flow_states order by created_at desc limit 1',
    )
    return rows[0]?.return_to
  }

  it('keeps the page the buyer was on', async () => {
    expect(await returnToOf('/products/tea-longjing?ref=home')).toBe(
      `${SPA}/products/tea-longjing?ref=home`,
    )
    expect(await returnToOf(`${SPA}/checkout`)).toBe(`${SPA}/checkout`)
  })

  it.each([
    '//evil.example',
    'https://evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'https://shop.example@evil.example',
    '/\t/evil.example',
    'https:evil.example',
    'http://shop.example', // http is another origin than https
    '%2F%2Fevil.example',
    '/%5Cevil.example',
  ])('refuses the open redirect %j: the buyer stays on the shop', async (target) => {
    const result = new URL((await returnToOf(target)) as string)
    expect(result.origin).toBe(SPA)
    expect(result.hostname).not.toContain('evil')
  })

  it('offers OAuth when asked, with a state', async () => {
    const response = await call('GET', '/api/login?via=oauth&returnTo=/')
    const location = new URL(response.headers.location as string)
    expect(location.pathname).toBe('/oauth2/publicAppAuthorize.htm')
    expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect((await call('GET', '/api/login?via=wechat')).status).toBe(400)
  })

  it('refuses a login return whose state this browser did not start', async () => {
    const response = await call(
      'GET',
      '/alipay/login/return/forgedstateforgedstate12?is_success=T&user_id=2088102000000001',
    )
    expect(response.status).toBe(403)
    expect(response.json.error.code).toBe('CSRF')
  })
})

describe('orders', () => {
  it('prices on the server: the catalog decides the amount, the browser cannot', async () => {
    const cookie = await newBrowser()
    const { status, json } = await call('POST', '/api/orders', {
      cookie,
      body: { items: [{ sku: 'tea-pu-erh', quantity: 2 }], service: 'instant' },
    })
    expect(status).toBe(201)
    expect(json.order).toMatchObject({
      amount: '117.00',
      amountFen: 11700,
      phase: 'waiting',
      final: false,
    })
    expect(json.payment.form.fields).toMatchObject({
      total_fee: '117.00',
      service: 'create_direct_pay_by_user',
    })
    expect(json.payment.form.fields.notify_url).toBe(
      'https://bff.shop.example/alipay/notify/legacy',
    )
    expect(json.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/)
    const forged = await call('POST', '/api/orders', {
      cookie,
      body: { items: [{ sku: 'tea-pu-erh', quantity: 2 }], service: 'instant', amount: '0.01' },
    })
    expect(forged.status).toBe(400)
  })

  it.each([
    [
      { items: [{ sku: 'caviar', quantity: 1 }], service: 'instant' },
      400,
      'PRICING',
      'items.0.sku',
    ],
    [{ items: [], service: 'instant' }, 400, 'INVALID_INPUT', 'items'],
    [{ items: [{ sku: 'cup', quantity: 1 }], service: 'bitcoin' }, 400, 'INVALID_INPUT', 'service'],
    [
      { items: [{ sku: 'cup', quantity: 1000 }], service: 'instant' },
      400,
      'INVALID_INPUT',
      'items.0.quantity',
    ],
  ])('refuses %j', async (body, status, code, field) => {
    const before = await store.query('select count(*)::int as n from akit_orders')
    const response = await call('POST', '/api/orders', { body })
    expect(response.status).toBe(status)
    expect(response.json.error).toMatchObject({ code, field })
    expect(await store.query('select count(*)::int as n from akit_orders')).toEqual(before)
  })

  it('refuses bodies that are not JSON, too large, or of another type', async () => {
    const notJson = await call('POST', '/api/orders', {
      raw: '{items:',
      headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
    })
    expect([notJson.status, notJson.json.error.code]).toEqual([400, 'INVALID_INPUT'])
    const form = await call('POST', '/api/orders', {
      raw: 'items=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-alipay-kit': '1' },
    })
    expect(form.status).toBe(415)
    const huge = await call('POST', '/api/orders', {
      raw: JSON.stringify({ items: [], pad: 'x'.repeat(100_000) }),
      headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
    })
    expect([huge.status, huge.json.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE'])
  })

  it('shows an order to its browser and to its access token, and to no one else', async () => {
    const cookie = await newBrowser()
    const { json } = await call('POST', '/api/orders', {
      cookie,
      body: { items: [{ sku: 'cup', quantity: 1 }], service: 'page' },
    })
    const id = json.order.id as string
    expect(json.payment.form.fields.method).toBe('alipay.trade.page.pay')
    expect((await call('GET', `/api/orders/${id}`, { cookie })).status).toBe(200)
    expect((await call('GET', `/api/orders/${id}?token=${json.accessToken}`)).json.id).toBe(id)
    const stranger = await newBrowser()
    const other = await call('GET', `/api/orders/${id}`, { cookie: stranger })
    expect([other.status, other.json.error.code]).toEqual([404, 'NOT_FOUND'])
    expect((await call('GET', `/api/orders/${id}?token=${'A'.repeat(32)}`)).status).toBe(404)
    expect((await call('GET', `/api/orders/${id}/events`, { cookie: stranger })).status).toBe(404)
    const mine = await call('GET', '/api/orders', { cookie })
    expect(mine.json.orders.map((o: { id: string }) => o.id)).toEqual([id])
    expect((await call('GET', '/api/orders', { cookie: stranger })).json.orders).toEqual([])
  })
})

describe('merchant API', () => {
  it('needs the secret', async () => {
    expect((await call('GET', '/api/merchant/orders')).status).toBe(401)
    expect(
      (await call('GET', '/api/merchant/orders', { headers: { authorization: 'Bearer wrong' } }))
        .status,
    ).toBe(401)
    const ok = await call('GET', '/api/merchant/orders?limit=5', {
      headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
    })
    expect(ok.status).toBe(200)
    expect(Array.isArray(ok.json.orders)).toBe(true)
    const bad = await call('GET', '/api/merchant/notifications?outcome=lost', {
      headers: { authorization: `Bearer ${MERCHANT_SECRET}` },
    })
    expect(bad.status).toBe(400)
  })
})

describe('notify endpoint: hostile input answers fail, changes nothing, is logged', () => {
  it.each([
    ['garbage', 'application/x-www-form-urlencoded', '%%%'],
    ['JSON', 'application/json', '{"trade_status":"TRADE_SUCCESS"}'],
    ['empty', 'application/x-www-form-urlencoded', ''],
    [
      'unsigned',
      'application/x-www-form-urlencoded',
      'out_trade_no=A1&trade_status=TRADE_SUCCESS&total_fee=1.00',
    ],
    [
      'GBK bytes declared UTF-8',
      'application/x-www-form-urlencoded; charset=utf-8',
      'subject=%C1%FA&sign=x',
    ],
    [
      'prototype pollution',
      'application/x-www-form-urlencoded',
      '__proto__=x&constructor=y&sign=z',
    ],
  ])('%s', async (_, contentType, raw) => {
    const before = await store.query('select count(*)::int as n from akit_notifications')
    for (const path of ['/alipay/notify/legacy', '/alipay/notify']) {
      const response = await call('POST', path, { raw, headers: { 'content-type': contentType } })
      expect(response.status).toBe(400)
      expect(response.text).toBe('fail')
      expect(response.headers['set-cookie']).toBeUndefined()
    }
    const after = await store.query<{ n: number }>(
      'select count(*)::int as n from akit_notifications',
    )
    expect(Number(after[0]?.n)).toBe(Number((before[0] as { n: number }).n) + 2)
    const orders = await store.query<{ n: number }>(
      "select count(*)::int as n from akit_orders where trade_status <> 'WAIT_BUYER_PAY'",
    )
    expect(Number(orders[0]?.n)).toBe(0)
  })

  it('refuses a body over 64 kB and other methods', async () => {
    const big = await call('POST', '/alipay/notify', {
      raw: `a=${'x'.repeat(70_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect([big.status, big.text]).toEqual([413, 'fail'])
    expect((await call('GET', '/alipay/notify')).status).toBe(405)
  })
})

it('a payment return with a NUL in its query is refused and logged, not a 500', async () => {
  for (const path of [
    // out_trade_no: a field an unverified return keeps (repositories/notifications.ts).
    '/alipay/return?outcome=%00&out_trade_no=%00',
    '/alipay/return/legacy?sign=%ZZ&out_trade_no=%00',
  ]) {
    const response = await call('GET', path)
    expect(response.status).toBe(302)
    expect(response.headers.location).toBe('https://shop.example/?alipay_return=invalid')
  }
  const logged = await store.query<{ params: Record<string, string> }>(
    "select params from akit_notifications where channel = 'return' order by id desc limit 2",
  )
  expect(JSON.stringify(logged)).toContain('\uFFFD') // the NUL, made storable
})

it('reports health', async () => {
  expect((await call('GET', '/healthz')).json).toEqual({ ok: true, store: 'pglite: ok' })
})

it('answers unknown API routes with JSON', async () => {
  const response = await call('GET', '/api/nothing')
  expect([response.status, response.json.error.code]).toEqual([404, 'NOT_FOUND'])
})
