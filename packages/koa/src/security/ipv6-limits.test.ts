import { type Harness, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addressKey } from '../limits/address-key.js'

/*
 * Issue 25: limits per address counted each IPv6 address on its own, but one subscriber is
 * usually given a whole /64 (2^64 addresses): a client could take a fresh limit with every
 * request. Limits now count an IPv6 client by its /64 (limits/address-key.ts), and an IPv4 address
 * written as IPv6 (::ffff:a.b.c.d) as the IPv4 address it is. Over real HTTP, the client's
 * address given the way a trusted proxy gives it (X-Forwarded-For).
 */

describe('the key an address is counted under', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
    ['2001:db8:1:2::a1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5:6%eth0', '2001:db8:1:2::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8:1:2:3:4:1.2.3.4', '2001:db8:1:2::/64'],
  ])('%s → %s', (address, key) => {
    expect(addressKey(address)).toBe(key)
  })

  it('anything else is kept as it is (never thrown on)', () => {
    expect(addressKey('')).toBe('')
    expect(addressKey('not an address')).toBe('not an address')
  })
})

describe('over HTTP: one /64 is one client', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({
      trustProxy: true,
      kit: {
        rateLimits: { holdRefusalsMs: 0, orders: { perSession: 100, perIp: 5 } },
        clock: () => Date.UTC(2026, 11, 2, 2, 0, 10),
        runJobs: false,
      },
    })
  })
  afterAll(() => h.close())

  /** An order request without a session (only the address is counted) from `address`. */
  const orderFrom = async (address: string) => {
    const answer = await fetch(`${h.bff.url}/api/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-alipay-kit': '1',
        'x-forwarded-for': address,
      },
      body: JSON.stringify({ items: [{ sku: 'cup', quantity: 1 }], service: 'page' }),
    })
    await answer.arrayBuffer()
    return answer.status
  }

  it('addresses of one /64 share one limit; the next /64 has its own', async () => {
    const statuses = []
    for (let i = 1; i <= 6; i++) statuses.push(await orderFrom(`2001:db8:1:2::${i.toString(16)}`))
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
    expect(await orderFrom('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(429)
    expect(await orderFrom('2001:db8:1:3::1')).toBe(201)
  })

  it('an IPv4 address written as IPv6 is that IPv4 address', async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push(await orderFrom('198.51.100.9'))
    for (let i = 0; i < 3; i++) statuses.push(await orderFrom('::ffff:198.51.100.9'))
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
  })
})
