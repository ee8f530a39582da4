import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import { SAMPLE_ADDRESS, testPgliteDir } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from './env.js'
import { SANDBOX_MERCHANT_SECRET } from './options.js'
import { type RunningBff, startBff } from './server.js'

let sandbox: RunningSandbox
let bff: RunningBff
const spa = mkdtempSync(join(tmpdir(), 'bff-spa-'))

beforeAll(async () => {
  sandbox = await startSandbox()
  mkdirSync(join(spa, 'assets'))
  writeFileSync(join(spa, 'index.html'), '<!doctype html><title>shop</title>')
  writeFileSync(join(spa, 'assets', 'app-1234.js'), 'console.log(1)')
  bff = await startBff(
    parseEnv({
      PORT: '0',
      ALIPAY_SANDBOX_URL: sandbox.url,
      PGLITE_DIR: await pgliteDir(),
      STATIC_DIR: spa,
      LOG_LEVEL: 'silent',
    }),
  )
})
afterAll(async () => {
  await bff.close()
  await sandbox.close()
  for (const dir of dirs) dir.remove()
})

/** A data directory for one BFF of this file (a copy of the migrated template), deleted after the file. */
const dirs: Array<Awaited<ReturnType<typeof testPgliteDir>>> = []
async function pgliteDir(): Promise<string> {
  const dir = await testPgliteDir()
  dirs.push(dir)
  return dir.dir
}

/** Another BFF against the same simulator, on a store of its own, with these variables on top. */
const startWith = async (variables: Record<string, string>) =>
  startBff(
    parseEnv({
      PORT: '0',
      ALIPAY_SANDBOX_URL: sandbox.url,
      PGLITE_DIR: await pgliteDir(),
      LOG_LEVEL: 'silent',
      ...variables,
    }),
  )

const merchantGet = (path: string) =>
  fetch(`${bff.url}/api/merchant${path}`, {
    headers: { authorization: `Bearer ${bff.merchantApiSecret}` },
  })

describe('the BFF server in simulator mode', () => {
  it('takes its credentials from the simulator and serves the kit', async () => {
    expect(bff.mode).toBe('sandbox')
    expect(bff.merchantApiSecret).toBe(SANDBOX_MERCHANT_SECRET)
    const session = (await (await fetch(`${bff.url}/api/session`)).json()) as any
    expect(session.services).toEqual([
      'instant',
      'escrow',
      'dual',
      'digital',
      'donation',
      'page',
      'wap',
    ])
    expect(await (await fetch(`${bff.url}/healthz`)).json()).toEqual({
      ok: true,
      store: 'pglite: ok',
    })
  })

  it('serves the catalog the orders are priced from', async () => {
    const { products } = (await (await fetch(`${bff.url}/api/catalog`)).json()) as any
    expect(products[0]).toMatchObject({ sku: 'longjing-250g', price: '168.00' })
    expect(products[0].ships).toBe(true) // the catalog's default: goods are shipped
    const place = (body: object) =>
      fetch(`${bff.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
        body: JSON.stringify({ items: [{ sku: 'teacup', quantity: 3 }], service: 'page', ...body }),
      })
    // Shipped goods need an address whatever the service: refused without one, nothing stored.
    const before = ((await (await merchantGet('/orders')).json()) as any).orders.length
    const refused = await place({})
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as any).error).toMatchObject({
      code: 'ADDRESS_REQUIRED',
      field: 'address',
    })
    expect(((await (await merchantGet('/orders')).json()) as any).orders).toHaveLength(before)
    const order = await place({ address: SAMPLE_ADDRESS })
    expect(order.status).toBe(201)
    expect(((await order.json()) as any).order.amount).toBe('89.70')
  })

  it('serves the SPA: files, long-cached assets, index.html for client routes, never for the API', async () => {
    const home = await fetch(`${bff.url}/`)
    expect(await home.text()).toContain('<title>shop</title>')
    const asset = await fetch(`${bff.url}/assets/app-1234.js`)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    const route = await fetch(`${bff.url}/orders/AK1`)
    expect([route.status, await route.text()]).toEqual([200, '<!doctype html><title>shop</title>'])
    const api = await fetch(`${bff.url}/api/nothing`)
    expect(api.status).toBe(404)
    expect(((await api.json()) as any).error.code).toBe('NOT_FOUND')
    const traversal = await fetch(`${bff.url}/..%2f..%2fetc%2fpasswd`)
    expect(await traversal.text()).not.toContain('root:')
  })
})

/** A Content-Security-Policy as directive → sources. */
function csp(header: string | null): Record<string, string[]> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name as string, sources]),
  )
}

describe('security headers on everything the BFF serves', () => {
  it('the SPA, its assets, the API, errors and Alipay’s notify answers all carry them', async () => {
    const answers = [
      await fetch(`${bff.url}/`),
      await fetch(`${bff.url}/assets/app-1234.js`),
      await fetch(`${bff.url}/orders/AK1?token=secret`),
      await fetch(`${bff.url}/api/session`),
      await fetch(`${bff.url}/api/nothing`),
      await fetch(`${bff.url}/alipay/notify`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'notify_id=1&sign=forged',
      }),
    ]
    for (const answer of answers) {
      const h = answer.headers
      expect(h.get('x-content-type-options'), answer.url).toBe('nosniff')
      // Other sites (Alipay included) get the origin only: never ?token= or a return's signature.
      expect(h.get('referrer-policy'), answer.url).toBe('strict-origin-when-cross-origin')
      expect(h.get('x-frame-options'), answer.url).toBe('DENY')
      // Plain http here: HSTS would lock a browser out of this origin for a year.
      expect(h.get('strict-transport-security'), answer.url).toBeNull()
      const policy = csp(h.get('content-security-policy'))
      expect(policy['default-src'], answer.url).toEqual(["'self'"])
      expect(policy['script-src']).toEqual(["'self'"])
      expect(policy['frame-ancestors']).toEqual(["'none'"])
      // The payment form posts to the gateway (the simulator here) and may be framed from it.
      expect(policy['form-action']).toEqual(["'self'", new URL(sandbox.url).origin])
      expect(policy['frame-src']).toEqual(["'self'", new URL(sandbox.url).origin])
      expect(policy['upgrade-insecure-requests']).toBeUndefined()
    }
    expect(answers.at(-1)?.status).toBeLessThan(500)
  })

  it('behind https: HSTS and upgrade-insecure-requests', async () => {
    const secure = await startWith({ PUBLIC_URL: 'https://shop.example' })
    try {
      const answer = await fetch(`${secure.url}/api/session`)
      expect(answer.headers.get('strict-transport-security')).toBe('max-age=31536000')
      expect(csp(answer.headers.get('content-security-policy'))).toHaveProperty(
        'upgrade-insecure-requests',
      )
    } finally {
      await secure.close()
    }
  })
})

describe('metrics from the environment', () => {
  it('METRICS_TOKEN serves /metrics to a scraper that sends it; a short one is refused', async () => {
    await expect(startWith({ METRICS_TOKEN: 'short' })).rejects.toThrow(
      /METRICS_TOKEN must be at least 16 characters/,
    )
    const token = 'metrics-token-0123456789abcdef'
    const scraped = await startWith({ METRICS_TOKEN: token })
    try {
      const answer = await fetch(`${scraped.url}/metrics`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(answer.status).toBe(200)
      expect(await answer.text()).toContain('# TYPE alipay_kit_notifications_total counter')
      expect((await fetch(`${scraped.url}/metrics`)).status).toBe(401)
      expect((await fetch(`${bff.url}/metrics`)).status).toBe(404) // no token: not served
    } finally {
      await scraped.close()
    }
  })
})

const redisUp = await new Promise<boolean>((resolve) => {
  const socket = connect(6379, '127.0.0.1')
  socket.once('connect', () => resolve(true)).once('error', () => resolve(false))
  socket.setTimeout(1000, () => resolve(false))
}).then((up) => up)
if (!redisUp && process.env.CI === 'true')
  throw new Error('Redis is not reachable at 127.0.0.1:6379; the REDIS_URL test needs it under CI')

describe.skipIf(!redisUp)('rate limits from the environment', () => {
  it('REDIS_URL: the limits count in Redis; a browser’s 6th order at once is refused', async () => {
    const limited = await startWith({ REDIS_URL: 'redis://127.0.0.1:6379' })
    try {
      // A browser session, as the shop's cart gives one (with something in it: an empty cart
      // keeps no session).
      const cart = await fetch(`${limited.url}/api/cart`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
        body: JSON.stringify({ items: [{ sku: 'teacup', quantity: 1 }] }),
      })
      const cookie = (cart.headers.get('set-cookie') ?? '').split(';')[0] as string
      expect(cookie).toMatch(/^akit_sid=/)
      const statuses: number[] = []
      for (let i = 0; i < 6; i++) {
        const answer = await fetch(`${limited.url}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-alipay-kit': '1', cookie },
          body: JSON.stringify({
            items: [{ sku: 'teacup', quantity: 1 }],
            service: 'page',
            address: SAMPLE_ADDRESS,
          }),
        })
        statuses.push(answer.status)
        if (answer.status === 429) expect(answer.headers.get('retry-after')).toMatch(/^[1-6]$/)
      }
      // 10 a minute by default, 5 of them at once (burstMs 10 s, at least 5); the next in 6 s.
      expect(statuses).toEqual([201, 201, 201, 201, 201, 429])
      // Counted in Redis, not in the database.
      expect(await limited.store.query('select count(*)::int as n from akit_rate_buckets')).toEqual(
        [{ n: 0 }],
      )
    } finally {
      await limited.close()
    }
  })
})

describe('webhooks from the environment', () => {
  it('WEBHOOK_URL without a secret is refused, saying what to set', async () => {
    await expect(startWith({ WEBHOOK_URL: 'http://127.0.0.1:9/hooks' })).rejects.toThrow(
      /WEBHOOK_URL needs WEBHOOK_SECRET/,
    )
    expect(() => parseEnv({ WEBHOOK_URL: 'ftp://x' })).toThrow(/WEBHOOK_URL/)
  })

  it('a paid order reaches WEBHOOK_URL, signed with WEBHOOK_SECRET', async () => {
    const { createServer } = await import('node:http')
    const { verifyWebhook } = await import('@alipay-kit/client')
    const secret = 'bff-webhook-secret-0123456789'
    const received: Array<{ type: string; orderId: string }> = []
    const receiver = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const event = await verifyWebhook(
        Buffer.concat(chunks),
        request.headers['alipay-kit-signature'] as string,
        secret,
      )
      received.push({ type: event.type, orderId: event.order.id })
      response.end('ok')
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const port = (receiver.address() as { port: number }).port
    const withHooks = await startBff(
      parseEnv({
        PORT: '0',
        ALIPAY_SANDBOX_URL: sandbox.url,
        PGLITE_DIR: await pgliteDir(),
        LOG_LEVEL: 'silent',
        WEBHOOK_URL: `http://127.0.0.1:${port}/hooks`,
        WEBHOOK_SECRET: secret,
      }),
    )
    try {
      const created = (await (
        await fetch(`${withHooks.url}/api/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
          body: JSON.stringify({
            items: [{ sku: 'teacup', quantity: 1 }],
            service: 'page',
            address: SAMPLE_ADDRESS,
          }),
        })
      ).json()) as any
      await fetch(created.payment.url, { redirect: 'manual' })
      await sandbox.admin.pay(created.order.id)
      await expect
        .poll(() => received, { timeout: 10_000 })
        .toEqual([{ type: 'order.paid', orderId: created.order.id }])
    } finally {
      await withHooks.close()
      receiver.close()
    }
  })
})
