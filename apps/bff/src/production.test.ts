import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseEnv } from './env.js'
import { gatewayOptions } from './options.js'
import { goingLiveProblems, unreachableHost } from './production.js'
import { startBff } from './server.js'

/* apps/bff/README.md, "Going live": the checks the server makes before it talks to the real Alipay. */

const dir = mkdtempSync(join(tmpdir(), 'bff-live-'))
const keyFile = join(dir, 'md5.key')
writeFileSync(keyFile, 'abcdefghijklmnopqrstuvwxyz012345\n')
const legacy = {
  MERCHANT_API_SECRET: 'x'.repeat(24),
  ALIPAY_PARTNER: '2088101122136241',
  ALIPAY_KEY_FILE: keyFile,
}

describe('going live', () => {
  it('with real credentials, PUBLIC_URL has no default: Alipay cannot reach the listening address', async () => {
    await expect(gatewayOptions(parseEnv(legacy))).rejects.toThrow(
      /PUBLIC_URL: set it to the https URL where Alipay and buyers reach this server/,
    )
    // A staging box whose gateway is not Alipay's (a simulator) may; against Alipay's own gateway
    // it may not, whatever NODE_ENV says (src/security/going-live.test.ts).
    const staging = { ...legacy, PUBLIC_URL: 'http://192.168.1.20:3000' }
    await expect(
      gatewayOptions(
        parseEnv({ ...staging, ALIPAY_LEGACY_GATEWAY: 'http://sandbox.test:4010/gateway.do' }),
      ),
    ).resolves.toMatchObject({ mode: 'alipay' })
    await expect(gatewayOptions(parseEnv(staging))).rejects.toThrow(/PUBLIC_URL: must be https/)
  })

  it.each([
    ['http://shop.example', 'must be https in production'],
    ['https://127.0.0.1', 'a loopback address'],
    ['https://localhost:8443', 'a loopback name'],
    ['https://10.0.0.5', 'a private address'],
    ['https://172.20.1.1', 'a private address'],
    ['https://192.168.1.20', 'a private address'],
    ['https://169.254.169.254', 'a link-local address'],
    ['https://[::1]', 'a loopback address'],
    ['https://[fd00::1]', 'a private (unique local) address'],
    ['https://[fe80::1]', 'a link-local address'],
    ['https://shop.local', 'a name only a local network resolves'],
    ['https://intranet', 'a name only a local network resolves'],
  ])('in production refuses PUBLIC_URL=%s (%s)', (publicUrl, words) => {
    const problems = goingLiveProblems(
      parseEnv({ ...legacy, NODE_ENV: 'production', PUBLIC_URL: publicUrl }),
    )
    expect(problems.join('\n')).toContain(words)
  })

  it('in production accepts a public https URL, and names the Open Platform seller', () => {
    expect(unreachableHost('shop.example')).toBeUndefined()
    expect(unreachableHost('203.0.113.7')).toBeUndefined()
    const production = { ...legacy, NODE_ENV: 'production', PUBLIC_URL: 'https://shop.example' }
    expect(goingLiveProblems(parseEnv(production))).toEqual([])
    const open = { ...production, ALIPAY_APP_ID: '2021000000000001' }
    expect(goingLiveProblems(parseEnv(open)).join('\n')).toContain(
      "ALIPAY_SELLER_ID: set it to the seller's 2088… user id",
    )
    expect(goingLiveProblems(parseEnv({ ...open, ALIPAY_SELLER_ID: '2088101122136241' }))).toEqual(
      [],
    )
  })

  it('takes MERCHANT_API_SECRET_FILE like the other secrets', async () => {
    const secretFile = join(dir, 'merchant.secret')
    writeFileSync(secretFile, `${'s'.repeat(32)}\n`)
    const { MERCHANT_API_SECRET: _unused, ...rest } = legacy
    const env = { ...rest, PUBLIC_URL: 'https://shop.example' }
    await expect(
      gatewayOptions(parseEnv({ ...env, MERCHANT_API_SECRET_FILE: secretFile })),
    ).resolves.toMatchObject({ merchantApiSecret: 's'.repeat(32) })
    const short = join(dir, 'short.secret')
    writeFileSync(short, 'tooshort\n')
    await expect(
      gatewayOptions(parseEnv({ ...env, MERCHANT_API_SECRET_FILE: short })),
    ).rejects.toThrow(/MERCHANT_API_SECRET_FILE: the secret must be at least 16 characters/)
    await expect(
      gatewayOptions(
        parseEnv({ ...env, MERCHANT_API_SECRET: 'x'.repeat(24), MERCHANT_API_SECRET_FILE: short }),
      ),
    ).rejects.toThrow(/Set MERCHANT_API_SECRET or MERCHANT_API_SECRET_FILE, not both/)
  })
})

describe('starting up', () => {
  const servers: Server[] = []
  const sockets: Socket[] = []
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  })

  it('answers 503 (`fail` to Alipay) while the database is not ready, instead of leaving connections hanging', async () => {
    // A "database" that accepts connections and never answers: start-up waits on it.
    const stalled = createServer((socket) => {
      sockets.push(socket)
      socket.on('error', () => {})
    })
    servers.push(stalled)
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve))
    const dbPort = (stalled.address() as { port: number }).port
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))

    const realCredentials = startBff(
      parseEnv({
        ...legacy,
        PUBLIC_URL: 'https://shop.example',
        PORT: String(port),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/test`,
        LOG_LEVEL: 'silent',
      }),
    ).catch((error: Error) => error)
    await expect
      .poll(async () => {
        try {
          const notify = await fetch(`http://127.0.0.1:${port}/alipay/notify/legacy`, {
            method: 'POST',
            body: 'notify_id=1',
            signal: AbortSignal.timeout(1_000),
          })
          return [notify.status, await notify.text()]
        } catch {
          return 'no answer'
        }
      })
      .toEqual([503, 'fail'])
    const api = await fetch(`http://127.0.0.1:${port}/api/session`, {
      signal: AbortSignal.timeout(1_000),
    })
    expect(api.status).toBe(503)
    expect(api.headers.get('retry-after')).toBe('5')
    expect(await api.json()).toMatchObject({ error: { code: 'STARTING' } })
    // The database never answered (pg gives up after 5 s): start-up fails, the port is released.
    expect(await realCredentials).toBeInstanceOf(Error)
  }, 30_000)
})
