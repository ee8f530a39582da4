import { type Harness, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * Issue 25, finding 2 (docs/security.md, "Paths"): the router and the guards must agree on what a
 * path is. Every variant of a guarded browser-API path (case, encoded letters and slashes, doubled
 * slashes, a trailing slash) either meets the same guard as the path itself or reaches no route.
 * Raw requests over HTTP (fetch would normalise some of these paths before sending them).
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness({
    kit: { rateLimits: { api: { perSession: 20, perIp: 20 }, holdRefusalsMs: 0 } },
  })
})
afterAll(() => h.close())

const VARIANTS = (path: string): string[] => {
  const rest = path.slice('/api/'.length)
  return [
    path,
    path.toUpperCase(),
    `/API/${rest}`,
    `/Api/${rest}`,
    `/api/${rest.toUpperCase()}`,
    `/%61pi/${rest}`,
    `/%41PI/${rest}`,
    `/api%2F${rest}`,
    `/api%2f${rest}`,
    `//api/${rest}`,
    `/api//${rest}`,
    `/./api/${rest}`,
    `/api/${rest}/`,
    `/api/${rest}%20`,
  ]
}

/** A raw HTTP/1.1 request: the path goes on the wire exactly as written. */
async function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  const { request } = await import('node:http')
  const url = new URL(h.bff.url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...headers,
          ...(body !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('path variants meet the same guards', () => {
  it('no variant of PUT /api/cart from a foreign origin without the kit header succeeds', async () => {
    const cart = JSON.stringify({ items: [{ sku: 'cup', quantity: 1 }] })
    for (const path of VARIANTS('/api/cart')) {
      const status = await raw('PUT', path, { origin: 'https://evil.example' }, cart)
      expect([403, 404], `PUT ${path}`).toContain(status)
    }
  })

  it('no variant of POST /api/orders creates an order from a foreign origin', async () => {
    const order = JSON.stringify({ items: [{ sku: 'cup', quantity: 1 }], service: 'instant' })
    for (const path of VARIANTS('/api/orders')) {
      const status = await raw('POST', path, { origin: 'https://evil.example' }, order)
      expect([403, 404], `POST ${path}`).toContain(status)
    }
    const rows = await h.store.query<{ n: number }>('select count(*)::int as n from akit_orders')
    expect(rows[0]?.n).toBe(0)
  })

  it('the browser-API limit counts every variant of GET /api/session', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 60; i++) {
      const variants = VARIANTS('/api/session')
      statuses.push(await raw('GET', variants[i % variants.length] as string, {}))
    }
    // Variants that reach the session route are counted with it: the limit (20 a minute, a burst
    // of ten seconds' worth) is reached, and none answers 200 after the first 429.
    const first429 = statuses.indexOf(429)
    expect(first429).toBeGreaterThan(0)
    expect(statuses.slice(first429).filter((s) => s === 200)).toEqual([])
  })
})
