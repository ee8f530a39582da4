import { md5Sign } from '@alipay-kit/core'
import { type Harness, SAMPLE_ADDRESS, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storable } from '../repositories/notifications.js'

/*
 * Issue 25: a NUL or a lone surrogate in a delivery address gave 500, because PostgreSQL's jsonb
 * refuses them (\u0000, unpaired UTF-16 halves). Every free-text string a browser or merchant
 * body carries is now checked at the schema (http/text.ts): 400 INVALID_INPUT naming the field,
 * before anything reaches Alipay or the store. Over real HTTP, through the BFF.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const BAD = [
  ['NUL', 'a\u0000b'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
  ['a control character', 'a\u0007b'],
  ['a line break', 'a\nb'],
  ['a C1 control', 'a\u0085b'],
] as const

/** A delivery address with one field changed (`region.name` for the region parts). */
function addressWith(field: string, value: string): unknown {
  const [top, sub] = field.split('.') as [keyof typeof SAMPLE_ADDRESS, string | undefined]
  const part = SAMPLE_ADDRESS[top]
  return {
    ...SAMPLE_ADDRESS,
    [top]: sub ? { ...(part as object), [sub]: value } : value,
  }
}

async function order(buyer: Shopper, address: unknown) {
  if (!buyer.cookie) await buyer.saveCart([])
  return buyer.call('/api/orders', {
    method: 'POST',
    body: { items: [{ sku: 'teapot', quantity: 1 }], service: 'page', address },
  })
}

describe('free text in the browser API', () => {
  const fields = ['recipient', 'street', 'province.name', 'city.name', 'district.name']
  it.each(fields.flatMap((field) => BAD.map(([what, value]) => [field, what, value] as const)))(
    'an order whose address.%s holds %s: 400 naming the field',
    async (field, _what, value) => {
      const buyer = new Shopper(h.bff.url)
      const { status, body } = await order(buyer, addressWith(field, value))
      expect([status, body.error?.code, body.error?.field], JSON.stringify(body)).toEqual([
        400,
        'INVALID_INPUT',
        `address.${field}`,
      ])
      expect(body.error.message).toContain(`address.${field}`)
      // Nothing was stored: the buyer has no order.
      expect((await buyer.call('/api/orders')).body.orders).toEqual([])
    },
  )

  it('Chinese, emoji (a surrogate pair) and spaces are text: the order is created', async () => {
    const buyer = new Shopper(h.bff.url)
    const { status, body } = await order(buyer, {
      ...SAMPLE_ADDRESS,
      recipient: '张三 🍵',
      street: '世纪大道 100 号 𠀋',
    })
    expect(status, JSON.stringify(body)).toBe(201)
    expect(body.order.address).toMatchObject({ recipient: '张三 🍵', street: '世纪大道 100 号 𠀋' })
  })
})

describe('free text in the merchant API', () => {
  it.each([
    ['refund', 'reason', { reason: 'x\u0000' }],
    ['ship', 'logisticsName', { logisticsName: '顺丰\ud800' }],
    ['ship', 'invoiceNo', { logisticsName: '顺丰', invoiceNo: 'SF\u0000' }],
  ])('%s with %s holding NUL or a lone surrogate: 400 naming it', async (route, field, input) => {
    const { status, body } = await h.merchant(`/orders/AKNONE/${route}`, input)
    expect([status, body.error?.code, body.error?.field]).toEqual([400, 'INVALID_INPUT', field])
  })
})

describe('free text from Alipay', () => {
  // (A lone surrogate cannot arrive: the form's UTF-8 decodes to U+FFFD; an XML reference like
  // &#0; is not decoded in an address, so it stays four characters of text.)
  it('an address choice holding NUL is refused (the choice fails), never a 500', async () => {
    for (const bad of ['世纪大道\u0000100号', '\u0000']) {
      const buyer = new Shopper(h.bff.url)
      await buyer.logIn('/checkout', '2088102000000001')
      const start = await fetch(`${h.bff.url}/api/addresses/select?returnTo=/checkout`, {
        redirect: 'manual',
        headers: { cookie: buyer.cookie },
      })
      const returnUrl = new URL(start.headers.get('location') ?? '').searchParams.get('return_url')
      // Signed with the shop's key, as Alipay would sign it: only the content is wrong.
      const fields = {
        is_success: 'T',
        notify_id: h.sandbox.simulator.issueNotifyId(60_000),
        user_id: '2088102000000001',
        receive_address: `<receive_address><address>${bad}</address><fullname>张三</fullname><prov>上海</prov></receive_address>`,
      }
      const key = h.sandbox.credentials.key
      const back = await fetch(returnUrl ?? '', {
        method: 'POST',
        body: new URLSearchParams({
          ...fields,
          sign: md5Sign(fields, key, 'utf-8'),
          sign_type: 'MD5',
        }),
        redirect: 'manual',
      })
      expect([back.status, back.headers.get('location')], bad).toEqual([
        302,
        `${h.bff.url}/checkout?alipay_address=failed`,
      ])
      expect((await buyer.call('/api/addresses/selected')).body.address).toBeNull()
    }
  })
})

describe('what the log stores', () => {
  it('turns a NUL or an unpaired surrogate into U+FFFD, keeps pairs and CJK as they are', () => {
    expect(storable('a\u0000b', 10)).toBe('a\uFFFDb')
    expect(storable('a\uD800b\uDC00', 10)).toBe('a\uFFFDb\uFFFD')
    expect(storable('茶😀', 10)).toBe('茶😀')
    // A cut through a pair leaves half of it: made storable too.
    expect(storable('ab😀', 3)).toBe('ab\uFFFD')
  })
})
