import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createAlipayKitClient } from './client.js'
import { AlipayKitApiError } from './request.js'

describe('the client against odd answers', () => {
  it('an unreachable BFF is status 0, code NETWORK, with an explanation', async () => {
    const api = createAlipayKitClient({ baseUrl: 'http://127.0.0.1:9' })
    const error = await api.session().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AlipayKitApiError)
    expect(error).toMatchObject({ status: 0, code: 'NETWORK' })
    expect((error as AlipayKitApiError).explanation.en.fix).toMatch(/try again/)
  })

  it('a non-JSON error page becomes HTTP_<status>, and the CSRF header is always sent', async () => {
    const seen: Array<string | undefined> = []
    const server = createServer((request, response) => {
      seen.push(request.headers['x-alipay-kit'] as string | undefined)
      response.writeHead(502, { 'content-type': 'text/html' })
      response.end('<h1>Bad gateway</h1>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const api = createAlipayKitClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    })
    await expect(api.saveCart([])).rejects.toMatchObject({ status: 502, code: 'HTTP_502' })
    expect(seen).toEqual(['1'])
    expect(api.loginUrl('/products/a?b=1', 'oauth')).toBe(
      `${api.baseUrl}/api/login?returnTo=%2Fproducts%2Fa%3Fb%3D1&via=oauth`,
    )
    server.close()
  })

  it('an aborted request rejects with the AbortError, not an API error', async () => {
    const api = createAlipayKitClient({ baseUrl: 'http://127.0.0.1:9' })
    const controller = new AbortController()
    controller.abort()
    await expect(
      api.createOrder(
        { items: [{ sku: 'a', quantity: 1 }], service: 'page' },
        { signal: controller.signal },
      ),
    ).rejects.toMatchObject({ name: 'AbortError' })
  })
})
