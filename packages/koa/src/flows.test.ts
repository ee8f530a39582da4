import type { OrderView } from '@alipay-kit/client'
import { api, type Harness, openEventStream, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Every flow of the BFF against the running simulator over real HTTP: both logins, the address
 * book, each payment service to its end, refunds, and the buyer who closes the page.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const shopper = () => new Shopper(h.bff.url)
const merchant = <T = any>(path: string, body?: unknown) => h.merchant<T>(path, body)
const hooksOf = (orderId: string) => h.hooksOf(orderId)

describe('quick login (legacy gateway)', () => {
  it('login first: back on the same page, named "支付宝用户" + real_name, the token kept server-side', async () => {
    const buyer = shopper()
    await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
    const landed = await buyer.logIn('/products/tea-longjing', '2088102000000002')
    // No "login succeeded" page in between: straight from Alipay back to the page.
    expect(landed).toBe(`${h.bff.url}/products/tea-longjing`)
    const { body: session } = await buyer.call('/api/session')
    expect(session.user).toEqual({
      userId: '2088102000000002',
      realName: '李四',
      displayName: '支付宝用户李四',
      via: 'quick_login',
      tokenValid: true,
    })
    expect(session.alipayOnly).toBe(true)
    expect(JSON.stringify(session)).not.toMatch(/sandbox[0-9a-f]{24}/) // no token
    const tokenInLogs = h.logs.lines.filter((line) => /sandbox[0-9a-f]{24}/.test(line))
    expect(tokenInLogs).toEqual([])
  })

  it('buy first: the cart survives login, the next page is the order form, and the payment skips Alipay’s login', async () => {
    const buyer = shopper()
    await buyer.saveCart([{ sku: 'tea-pu-erh', quantity: 3 }])
    const before = buyer.cookie
    const landed = await buyer.logIn('/checkout')
    expect(landed).toBe(`${h.bff.url}/checkout`)
    expect(buyer.cookie).not.toBe(before) // a new session id after login (no fixation)
    expect((await buyer.call('/api/cart')).body).toEqual({
      items: [{ sku: 'tea-pu-erh', quantity: 3 }],
    })

    const created = await buyer.order('instant', [{ sku: 'tea-pu-erh', quantity: 3 }])
    expect(created.payment.form.fields.token).toMatch(/^sandbox/)
    // A fresh browser at Alipay: the token alone takes it past the login page to the cashier.
    const cashier = new Shopper(h.bff.url)
    await cashier.browser.open(created.payment.url)
    expect(cashier.browser.html).toContain('支付宝收银台')
    expect(cashier.browser.html).toContain('张三')
  })

  it('the old session id is dead after login', async () => {
    const buyer = shopper()
    await buyer.saveCart([{ sku: 'cup', quantity: 1 }])
    const old = buyer.cookie
    await buyer.logIn('/')
    const { body } = await api(`${h.bff.url}/api/session`, { cookie: old })
    expect((body as { user: unknown }).user).toBeNull()
  })

  it('a tampered login answer is refused: the shop stays anonymous and says the login failed', async () => {
    // Log in, but stop at Alipay's redirect back to the shop and change who logged in.
    const again = shopper()
    await again.browser.open(`${h.bff.url}/api/login?returnTo=/account`)
    const next = /name="next" value="([^"]*)"/.exec(again.browser.html)?.[1] as string
    await again.browser.open(`${h.sandbox.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({
        user_id: '2088102000000001',
        password: '111111',
        next: next.replace(/&amp;/g, '&'),
      }).toString(),
      stopAt: (url) => url.pathname.startsWith('/alipay/login/return/'),
    })
    const forged = again.browser.url.replace('2088102000000001', '2088102000000003')
    expect(forged).not.toBe(again.browser.url)
    await again.browser.open(forged)
    expect(again.browser.url).toBe(`${h.bff.url}/account?alipay_login=failed`)
    expect((await again.call('/api/session')).body.user).toBeNull()
  })

  it('logout forgets the member', async () => {
    const buyer = shopper()
    await buyer.logIn('/')
    expect((await buyer.call('/api/logout', { method: 'POST', body: {} })).status).toBe(204)
    expect((await buyer.call('/api/session')).body.user).toBeNull()
  })

  it('a wrong password stays at Alipay; the shop session stays anonymous', async () => {
    const buyer = shopper()
    await buyer.browser.open(`${h.bff.url}/api/login?returnTo=/`)
    await buyer.browser.logIn('2088102000000001', 'wrong')
    expect(buyer.browser.status).toBe(401)
    expect((await buyer.call('/api/session')).body.user).toBeNull()
  })

  it.each([
    '//evil.example/phish',
    'https://evil.example/phish',
    '/\\evil.example',
    'javascript:alert(document.cookie)',
    'https%3A%2F%2Fevil.example',
    '%2F%2Fevil.example',
    'http://127.0.0.1.evil.example/',
    'https://user@evil.example/',
  ])('refuses etao’s target_url %j: the buyer stays on the shop', async (target) => {
    await h.sandbox.admin.settings({ etaoTargetUrl: target })
    try {
      const landed = new URL(await shopper().logIn('/cart'))
      expect(landed.origin).toBe(new URL(h.bff.url).origin)
      expect(landed.hostname).not.toContain('evil')
    } finally {
      await h.sandbox.admin.settings({ etaoTargetUrl: null })
    }
  })

  it('follows etao’s target_url when it is the shop’s, never elsewhere', async () => {
    const buyer = shopper()
    await h.sandbox.admin.settings({ etaoTargetUrl: `${h.bff.url}/products/from-etao` })
    try {
      expect(await buyer.logIn('/')).toBe(`${h.bff.url}/products/from-etao`)
      await h.sandbox.admin.settings({ etaoTargetUrl: 'https://evil.example/phish' })
      expect(await shopper().logIn('/cart')).toBe(`${h.bff.url}/cart`)
    } finally {
      await h.sandbox.admin.settings({ etaoTargetUrl: null })
    }
  })
})

describe('OAuth login (Open Platform)', () => {
  it('logs in through the authorize page, keyed by user_id, named from the user info', async () => {
    const buyer = shopper()
    const landed = await buyer.logIn('/account', '2088102000000003', 'oauth')
    expect(landed).toBe(`${h.bff.url}/account`)
    expect((await buyer.call('/api/session')).body.user).toMatchObject({
      userId: '2088102000000003',
      displayName: '支付宝用户王芳',
      via: 'oauth',
      tokenValid: false,
    })
  })
})

describe('addresses from Alipay', () => {
  it('fills the choice with regions matched to division codes', async () => {
    const buyer = shopper()
    await buyer.logIn('/checkout', '2088102000000001')
    await buyer.browser.open(`${h.bff.url}/api/addresses/select?returnTo=/checkout`)
    expect(buyer.browser.html).toContain('选择收货地址')
    const action = /action="(\/addresses\/[^"]+)"/.exec(buyer.browser.html)?.[1] as string
    await buyer.browser.submit(action, { index: '0' })
    expect(buyer.browser.url).toBe(`${h.bff.url}/checkout?alipay_address=selected`)
    const { body } = await buyer.call('/api/addresses/selected')
    expect(body.address).toMatchObject({
      recipient: '张三',
      phone: '13800000001',
      province: { code: '31' },
      city: { code: '3101' },
      district: { name: '浦东新区', code: '310115' },
      street: '世纪大道100号',
      postcode: '200120',
      source: 'alipay',
    })
    // The address goes with an escrow order to Alipay as the receiver.
    const created = await buyer.order('escrow', [{ sku: 'cup', quantity: 1 }], {
      recipient: body.address.recipient,
      phone: body.address.phone,
      province: body.address.province,
      city: body.address.city,
      district: body.address.district,
      street: body.address.street,
      postcode: body.address.postcode,
    })
    expect(created.order.address?.source).toBe('alipay')
    expect(created.payment.form.fields).toMatchObject({
      receive_name: '张三',
      receive_mobile: '13800000001',
    })
  })

  it('an autonomous prefecture (延边朝鲜族自治州) is matched too', async () => {
    const buyer = shopper()
    await buyer.logIn('/checkout', '2088102000000002')
    await buyer.browser.open(`${h.bff.url}/api/addresses/select?returnTo=/checkout`)
    const action = /action="(\/addresses\/[^"]+)"/.exec(buyer.browser.html)?.[1] as string
    await buyer.browser.submit(action, { index: '0' })
    const { body } = await buyer.call('/api/addresses/selected')
    expect(body.address.district).toEqual({ name: '延吉市', code: '222401' })
  })

  it('sends an anonymous buyer to quick login first, then on to the address book', async () => {
    const buyer = shopper()
    await buyer.browser.open(`${h.bff.url}/api/addresses/select?returnTo=/checkout`)
    expect(buyer.browser.html).toContain('登录支付宝')
    await buyer.browser.logIn('2088102000000003')
    expect(buyer.browser.html).toContain('选择收货地址')
  })
})

describe('payments, service by service, to their end', () => {
  const expectPaid = (order: OrderView) => order.paid

  it.each([
    ['instant', 'paid', 'TRADE_SUCCESS'],
    ['digital', 'paid', 'TRADE_SUCCESS'],
    ['donation', 'paid', 'TRADE_SUCCESS'],
    ['page', 'paid', 'TRADE_SUCCESS'],
    ['wap', 'paid', 'TRADE_SUCCESS'],
  ] as const)(
    '%s: paid through the cashier, by the notification',
    async (service, phase, status) => {
      const buyer = shopper()
      const created = await buyer.order(service, [{ sku: 'cup', quantity: 2 }])
      await buyer.pay(created)
      const order = await buyer.waitFor(created.order.id, expectPaid)
      expect(order).toMatchObject({
        phase,
        tradeStatus: status,
        final: true,
        amount: '0.02',
        mode: 'instant',
      })
      expect(hooksOf(created.order.id)).toEqual(['onPaid'])
      // The return redirect brought the buyer to the SPA's result page.
      expect(buyer.browser.url).toBe(`${h.bff.url}/orders/${created.order.id}`)
    },
  )

  it('escrow: paid, shipped by the merchant, received by the buyer, finished', async () => {
    const buyer = shopper()
    const created = await buyer.order('escrow')
    const id = created.order.id
    await buyer.pay(created)
    expect(await buyer.waitFor(id, expectPaid)).toMatchObject({
      phase: 'paid',
      final: false,
      mode: 'escrow',
    })
    const shipped = await merchant(`/orders/${id}/ship`, {
      logisticsName: '顺丰速运',
      invoiceNo: 'SF1001',
    })
    expect(shipped.status).toBe(200)
    await buyer.waitFor(id, (o) => o.phase === 'shipped')
    await h.sandbox.admin.act(id, 'confirm')
    const done = await buyer.waitFor(id, (o) => o.phase === 'finished')
    expect(done).toMatchObject({ tradeStatus: 'TRADE_FINISHED', final: true, shipped: true })
    expect(hooksOf(id)).toEqual(['onPaid', 'onShipped', 'onFinished'])
  })

  it('dual: the buyer chooses escrow or instant; the BFF infers which (docs/protocol.md, "Dual interface")', async () => {
    const buyer = shopper()
    const escrow = await buyer.order('dual')
    expect(escrow.order.mode).toBeNull()
    await buyer.pay(escrow, { choice: 'escrow' })
    expect(await buyer.waitFor(escrow.order.id, expectPaid)).toMatchObject({
      mode: 'escrow',
      phase: 'paid',
    })

    const instant = await buyer.order('dual')
    await buyer.pay(instant, { choice: 'instant' })
    expect(await buyer.waitFor(instant.order.id, expectPaid)).toMatchObject({
      mode: 'instant',
      phase: 'finished',
      tradeStatus: 'TRADE_FINISHED',
    })
    expect(hooksOf(instant.order.id)).toEqual(['onPaid', 'onFinished'])
  })

  it('the buyer closes the cashier page after paying: no return, the notification still fulfils', async () => {
    const buyer = shopper()
    const created = await buyer.order('instant')
    await h.sandbox.admin.setFaults({ dropReturn: true }, created.order.id)
    await buyer.pay(created)
    expect(buyer.browser.html).toContain('你可以关闭此页面')
    const order = await buyer.waitFor(created.order.id, expectPaid)
    expect(order.confirming).toBe(false)
    expect(hooksOf(created.order.id)).toEqual(['onPaid'])
  })

  it('no notification after the return: the BFF asks Alipay itself, and says it is confirming meanwhile', async () => {
    const buyer = shopper()
    const created = await buyer.order('page')
    // Alipay's notification is late by an hour.
    await h.sandbox.admin.setFaults({ delayMs: 3_600_000 }, created.order.id)
    await buyer.pay(created)
    const first = await buyer.orderView(created.order.id)
    expect(first).toMatchObject({ paid: false, confirming: true })
    const order = await buyer.waitFor(created.order.id, expectPaid)
    expect(order).toMatchObject({ phase: 'paid', confirming: false })
    const log = await merchant(`/orders/${created.order.id}`)
    expect(
      log.body.notifications.map(
        (n: { channel: string; outcome: string }) => `${n.channel}:${n.outcome}`,
      ),
    ).toContain('query:applied')
    expect(hooksOf(created.order.id)).toEqual(['onPaid'])
  })

  it('an open status stream: the BFF asks Alipay after the return when the notification is late', async () => {
    const buyer = shopper()
    const created = await buyer.order('instant')
    await h.sandbox.admin.setFaults({ delayMs: 3_600_000 }, created.order.id)
    const stream = await openEventStream(
      `${h.bff.url}/api/orders/${created.order.id}/events?token=${created.accessToken}`,
    )
    await stream.next((event) => event.phase === 'waiting')
    await buyer.pay(created) // back through the return: the stream hears it, then asks Alipay
    expect(await stream.next((event) => event.phase === 'paid', 8_000)).toMatchObject({
      paid: true,
      confirming: false,
    })
    expect(stream.events.some((event) => event.confirming === true)).toBe(true) // "being confirmed" meanwhile
    await stream.close()
  })

  it('the merchant closes an unpaid order of either gateway', async () => {
    for (const service of ['instant', 'page'] as const) {
      const buyer = shopper()
      const created = await buyer.order(service)
      await buyer.browser.open(created.payment.url) // the trade exists at Alipay once the buyer reached it
      const closed = await merchant(`/orders/${created.order.id}/close`, {})
      expect(closed.status, JSON.stringify(closed.body)).toBe(200)
      expect(closed.body).toMatchObject({
        phase: 'closed',
        final: true,
        tradeStatus: 'TRADE_CLOSED',
      })
      const again = await merchant(`/orders/${created.order.id}/close`, {})
      expect(again.status).toBe(409)
    }
  })
})

describe('refunds', () => {
  it('Open Platform: a partial refund, then the rest; each refund runs onRefunded once', async () => {
    const buyer = shopper()
    const created = await buyer.order('page', [{ sku: 'tea-longjing', quantity: 1 }])
    const id = created.order.id
    await buyer.pay(created)
    await buyer.waitFor(id, expectPaidOrder)
    expect(
      (await merchant(`/orders/${id}/refund`, { amount: '28.00', reason: '破损' })).status,
    ).toBe(200)
    await buyer.waitFor(id, (o) => o.refunded === '28.00')
    expect(await buyer.orderView(id)).toMatchObject({
      phase: 'refunded',
      tradeStatus: 'TRADE_SUCCESS',
    })
    expect((await merchant(`/orders/${id}/refund`, { amount: '100.01' })).status).toBe(400)
    expect((await merchant(`/orders/${id}/refund`, {})).status).toBe(200)
    const done = await buyer.waitFor(id, (o) => o.tradeStatus === 'TRADE_CLOSED')
    expect(done).toMatchObject({ phase: 'refunded', refunded: '128.00', final: true })
    expect(hooksOf(id)).toEqual(['onPaid', 'onRefunded', 'onClosed', 'onRefunded'])
  })

  it('legacy: the merchant refunds an instant payment', async () => {
    const buyer = shopper()
    const created = await buyer.order('instant', [{ sku: 'tea-pu-erh', quantity: 1 }])
    await buyer.pay(created)
    await buyer.waitFor(created.order.id, expectPaidOrder)
    const refunded = await merchant(`/orders/${created.order.id}/refund`, {
      reason: 'out of stock',
    })
    expect(refunded.status, JSON.stringify(refunded.body)).toBe(200)
    const order = await buyer.waitFor(created.order.id, (o) => o.phase === 'refunded')
    expect(order).toMatchObject({
      refunded: '58.50',
      tradeStatus: 'TRADE_CLOSED',
      refundStatus: 'REFUND_SUCCESS',
    })
    expect(hooksOf(created.order.id).filter((hook) => hook === 'onRefunded')).toHaveLength(1)
  })

  it('escrow: the buyer asks, the seller refuses, the buyer asks again, returns the goods, refunded', async () => {
    const buyer = shopper()
    const created = await buyer.order('escrow', [{ sku: 'cup', quantity: 1 }])
    const id = created.order.id
    await buyer.pay(created)
    await buyer.waitFor(id, expectPaidOrder)
    await merchant(`/orders/${id}/ship`, { logisticsName: 'EMS', transportType: 'EMS' })
    await buyer.waitFor(id, (o) => o.phase === 'shipped')
    const steps: Array<[Parameters<typeof h.sandbox.admin.act>[1], OrderView['phase']]> = [
      ['request_refund', 'refund_requested'],
      ['refuse_refund', 'refund_refused'],
      ['request_refund', 'refund_requested'],
      ['agree_refund', 'refund_in_progress'],
      ['return_goods', 'refund_in_progress'],
      ['confirm_return', 'refunded'],
    ]
    for (const [action, phase] of steps) {
      const before = h.hookLog.length
      await h.sandbox.admin.act(id, action)
      await expect.poll(() => h.hookLog.length).toBeGreaterThan(before)
      expect((await buyer.orderView(id)).phase).toBe(phase)
    }
    expect(hooksOf(id)).toEqual([
      'onPaid',
      'onShipped',
      'onRefundRequested',
      'onRefundRefused',
      'onRefundRequested',
      'onRefundAgreed',
      'onGoodsReturned',
      'onClosed',
      'onRefunded',
    ])
    expect(await buyer.orderView(id)).toMatchObject({ final: true, refunded: '0.01' })
  })

  it("Alipay's refusal reaches the merchant as its catalog entry, not a stack trace", async () => {
    const buyer = shopper()
    const created = await buyer.order('instant', [{ sku: 'cup', quantity: 1 }])
    await buyer.pay(created)
    await buyer.waitFor(created.order.id, expectPaidOrder)
    const { MERCHANT_SERVICES } = await import('@alipay-kit/sandbox')
    await h.sandbox.admin.settings({
      contract: MERCHANT_SERVICES.filter((s) => s !== 'refund_fastpay_by_platform_nopwd'),
    })
    try {
      const refused = await merchant(`/orders/${created.order.id}/refund`, {})
      expect(refused.status).toBe(502)
      expect(refused.body.error).toMatchObject({
        code: 'HAS_NO_PRIVILEGE',
        'zh-CN': { cause: '没有该接口的权限' },
        en: { cause: 'The contract does not include this service' },
      })
      expect(JSON.stringify(refused.body)).not.toMatch(/at .*\.js:\d+/)
    } finally {
      await h.sandbox.admin.settings({ contract: [...MERCHANT_SERVICES] })
    }
    expect((await buyer.orderView(created.order.id)).phase).toBe('paid')
  })

  it('refuses to refund an unpaid order or ship an instant one', async () => {
    const buyer = shopper()
    const created = await buyer.order('instant')
    expect((await merchant(`/orders/${created.order.id}/refund`, {})).status).toBe(409)
    expect(
      (await merchant(`/orders/${created.order.id}/ship`, { logisticsName: 'x' })).status,
    ).toBe(409)
    expect((await merchant('/orders/NOPE/refund', {})).status).toBe(404)
  })
})

function expectPaidOrder(order: OrderView): boolean {
  return order.paid
}
