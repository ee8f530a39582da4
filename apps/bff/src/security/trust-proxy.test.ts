import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import { LogCapture, testPgliteDir } from '@alipay-kit/testing'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'
import { type RunningBff, startBff } from '../server.js'

/*
 * Issue 25, finding 6: with PUBLIC_URL https the BFF trusted X-Forwarded-For and -Proto by default.
 * Reached directly (its port open, or a proxy that does not overwrite the headers), the buyer's
 * address became whatever the client wrote: per-address rate limits and the anti-phishing IP were
 * the client's to choose. A proxy is now trusted only when configured, with its number of hops
 * (TRUST_PROXY_HOPS); an https PUBLIC_URL with none gets a warning at start.
 */

let sandbox: RunningSandbox
const dirs: Array<Awaited<ReturnType<typeof testPgliteDir>>> = []
beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(async () => {
  await sandbox.close()
  for (const dir of dirs) dir.remove()
})

async function startWith(variables: Record<string, string>, logs = new LogCapture()) {
  const dir = await testPgliteDir()
  dirs.push(dir)
  return startBff(
    parseEnv({
      PORT: '0',
      ALIPAY_SANDBOX_URL: sandbox.url,
      PGLITE_DIR: dir.dir,
      PUBLIC_URL: 'https://shop.example',
      ...variables,
    }),
    { logger: pino({ level: 'info' }, logs) },
  )
}

/**
 * Twelve login starts from this one socket, the i-th with `forwarded(i)` as X-Forwarded-For: the
 * logins limit allows one address 10 at once, so a 429 among them means the BFF saw one client.
 * (`via=none` is refused 400 after the limit counted it: nothing else happens.)
 */
async function loginStatuses(bff: RunningBff, forwarded: (i: number) => string) {
  const statuses: number[] = []
  for (let i = 0; i < 12; i++) {
    const answer = await fetch(`${bff.url}/api/login?via=none`, {
      headers: { 'x-forwarded-for': forwarded(i) },
    })
    await answer.arrayBuffer()
    statuses.push(answer.status)
  }
  return statuses
}

/** The session cookie set for a request that claims, in X-Forwarded-Proto, to have come over https. */
async function cookieClaimingHttps(bff: RunningBff): Promise<string> {
  const answer = await fetch(`${bff.url}/api/cart`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      'x-alipay-kit': '1',
      'x-forwarded-proto': 'https',
    },
    body: JSON.stringify({ items: [{ sku: 'longjing-250g', quantity: 1 }] }),
  })
  expect(answer.status).toBe(200)
  return answer.headers.get('set-cookie') ?? ''
}

const warnings = (logs: LogCapture) =>
  logs.lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40)

describe('a proxy is trusted only when configured', () => {
  it('by default, even with an https PUBLIC_URL, the forwarding headers are the client’s words: ignored, and a warning says what to set', async () => {
    const logs = new LogCapture()
    const bff = await startWith({}, logs)
    try {
      // Twelve "different" buyers from one socket are one client.
      expect(await loginStatuses(bff, (i) => `203.0.113.${i}`)).toContain(429)
      expect(await cookieClaimingHttps(bff)).not.toMatch(/;\s*secure/i)
      const said = warnings(logs).map((entry) => entry.msg)
      expect(said.join('\n')).toMatch(/PUBLIC_URL is https.*TRUST_PROXY_HOPS/s)
    } finally {
      await bff.close()
    }
  })

  it('TRUST_PROXY_HOPS=1: the address the proxy added is the buyer’s, what the client wrote before it is not', async () => {
    const logs = new LogCapture()
    const bff = await startWith({ TRUST_PROXY_HOPS: '1' }, logs)
    try {
      // The proxy appended a different address each time: twelve clients, none over its limit.
      expect(await loginStatuses(bff, (i) => `1.2.3.4, 198.51.100.${i}`)).not.toContain(429)
      // The client varied what it wrote; the proxy saw one address: one client.
      expect(await loginStatuses(bff, (i) => `203.0.113.${i}, 198.51.100.200`)).toContain(429)
      expect(await cookieClaimingHttps(bff)).toMatch(/;\s*secure/i)
      expect(
        warnings(logs)
          .map((entry) => entry.msg)
          .join('\n'),
      ).not.toMatch(/TRUST_PROXY_HOPS/)
    } finally {
      await bff.close()
    }
  })

  it('TRUST_PROXY_HOPS=2: two proxies, the address the outer one saw', async () => {
    const bff = await startWith({ TRUST_PROXY_HOPS: '2' })
    try {
      expect(await loginStatuses(bff, (i) => `6.6.6.${i}, 203.0.113.9, 10.0.0.1`)).toContain(429)
      expect(await loginStatuses(bff, (i) => `6.6.6.6, 198.51.100.${i}, 10.0.0.1`)).not.toContain(
        429,
      )
    } finally {
      await bff.close()
    }
  })

  it('TRUST_PROXY=true still means one hop; both at once, or a hop count that is not one, is refused', async () => {
    const bff = await startWith({ TRUST_PROXY: 'true' })
    try {
      expect(await cookieClaimingHttps(bff)).toMatch(/;\s*secure/i)
    } finally {
      await bff.close()
    }
    expect(() => parseEnv({ TRUST_PROXY_HOPS: 'two' })).toThrow(/TRUST_PROXY_HOPS: must be/)
    await expect(startWith({ TRUST_PROXY: 'true', TRUST_PROXY_HOPS: '2' })).rejects.toThrow(
      /Set TRUST_PROXY_HOPS or TRUST_PROXY, not both/,
    )
  })
})
