import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isAlipayKitError } from '@alipay-kit/core'
import {
  type Harness,
  MERCHANT_SECRET,
  PRODUCTS,
  Shopper,
  startHarness,
  WEBHOOK_SECRET,
} from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AlipayKitOptions, resolveConfig } from '../config.js'
import { catalogPricing } from '../pricing.js'
import type { Store } from '../store/types.js'

/*
 * Issue 25, finding 6: a webhook URL carrying a credential (`https://user:pass@…`, `?token=…`) was
 * written whole into every delivery's log line and shown whole by the merchant API. A query's
 * values are now shown as `…` wherever a URL is logged or shown (and still sent, whole, to the
 * receiver); a URL with a user name or password is refused at start, since fetch refuses to send
 * one at all: every delivery would fail, and log the password each time.
 */

const TOKEN = 'receiver-token-5f1c0a9e7d'

const options = (urls: string[]): AlipayKitOptions => ({
  publicUrl: 'https://shop.example',
  legacy: { partner: '2088101122136241', key: 'abcdefghijklmnopqrstuvwxyz012345' },
  store: {} as Store, // never reached: the options are checked first
  pricing: catalogPricing(PRODUCTS),
  merchantApiSecret: MERCHANT_SECRET,
  webhooks: { urls, secret: WEBHOOK_SECRET },
})

const refusal = (urls: string[]) => {
  try {
    resolveConfig(options(urls))
  } catch (error) {
    return error
  }
  return undefined
}

describe('webhook URLs at start', () => {
  it('a URL with a user name or password is refused, without repeating the password', () => {
    const error = refusal(['https://shop:hunter2-password@hooks.example/in'])
    expect(isAlipayKitError(error, 'INVALID_CONFIG'), String(error)).toBe(true)
    expect(error).toMatchObject({ option: 'webhooks.urls' })
    const message = (error as Error).message
    expect(message).toMatch(/user name or password/)
    expect(message).not.toContain('hunter2-password')
    expect(message).toContain('https://…@hooks.example/in')
  })

  it('a URL that is not http(s) is refused without repeating its query', () => {
    const message = String((refusal([`ftp://hooks.example/in?token=${TOKEN}`]) as Error).message)
    expect(message).toMatch(/is not an http\(s\) URL/)
    expect(message).not.toContain(TOKEN)
  })
})

describe('webhook URLs in logs and in the merchant API', () => {
  let h: Harness
  let close: () => Promise<void>
  const seen: string[] = []
  let base = ''
  beforeAll(async () => {
    // A receiver that accepts deliveries to /ok and refuses those to /down (the log's two paths).
    const server = createServer((request, response) => {
      seen.push(request.url ?? '')
      request.resume()
      response.writeHead(request.url?.startsWith('/ok') ? 200 : 503).end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    close = () => new Promise((resolve) => server.close(() => resolve()))
    h = await startHarness({
      kit: {
        runJobs: false,
        webhooks: {
          urls: [`${base}/ok?token=${TOKEN}&tenant=tea`, `${base}/down?token=${TOKEN}`],
          secret: WEBHOOK_SECRET,
        },
      },
    })
  })
  afterAll(async () => {
    await h.close()
    await close()
  })

  it('the receiver gets the whole URL; the log and the merchant API show `token=…`', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page')
    await buyer.payAtSimulator(h.sandbox, created)
    await expect
      .poll(async () => (await h.bff.kit.jobs.run('webhook-delivery')).count)
      .toBeGreaterThan(0)
    expect(seen).toEqual(
      expect.arrayContaining([`/ok?token=${TOKEN}&tenant=tea`, `/down?token=${TOKEN}`]),
    )
    const logged = h.logs.lines.filter((line) => line.includes('"webhook"'))
    expect(logged.some((line) => line.includes('webhook delivered'))).toBe(true)
    expect(logged.some((line) => line.includes('webhook not accepted'))).toBe(true)
    expect(logged.join('\n')).toContain(`${base}/ok?token=…&tenant=…`)
    expect(h.logs.lines.filter((line) => line.includes(TOKEN))).toEqual([])
    const { body } = await h.merchant('/webhooks')
    const urls = (body.deliveries as Array<{ url: string }>).map((d) => d.url)
    expect(urls).toEqual(
      expect.arrayContaining([`${base}/ok?token=…&tenant=…`, `${base}/down?token=…`]),
    )
    expect(JSON.stringify(body)).not.toContain(TOKEN)
  })
})
