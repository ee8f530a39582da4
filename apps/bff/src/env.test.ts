import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadCatalog } from './catalog.js'
import { EnvError, gatewayMode, parseEnv } from './env.js'
import { gatewayOptions } from './options.js'

const dir = mkdtempSync(join(tmpdir(), 'bff-env-'))

describe('environment', () => {
  it('has defaults that need no setup', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      PGLITE_DIR: '.data/bff',
      LOG_LEVEL: 'info',
    })
    expect(gatewayMode(parseEnv({}))).toBe('sandbox')
  })

  it('names every wrong variable and says what to put there', () => {
    let message = ''
    try {
      parseEnv({
        PORT: 'eighty',
        PUBLIC_URL: 'shop.example',
        ALIPAY_PARTNER: 'seller@shop.example',
        DATABASE_URL: 'mysql://x',
        ALIPAY_SERVICES: 'instant,bitcoin',
      })
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError)
      message = (error as Error).message
    }
    expect(message).toContain('PORT: must be a port number')
    expect(message).toContain('PUBLIC_URL: must be an absolute URL')
    expect(message).toContain(
      'ALIPAY_PARTNER: must be the 16-digit partner id starting with 2088 (not an email)',
    )
    expect(message).toContain('DATABASE_URL: must be a postgres:// URL')
    expect(message).toContain('ALIPAY_SERVICES.1: each must be one of instant')
  })

  it('refuses to fall back to the simulator in production', () => {
    expect(() => gatewayMode(parseEnv({ NODE_ENV: 'production' }))).toThrow(
      /does not fall back to the local simulator/,
    )
  })

  it('asks for what a real gateway needs', async () => {
    await expect(gatewayOptions(parseEnv({ ALIPAY_PARTNER: '2088101122136241' }))).rejects.toThrow(
      /Missing MERCHANT_API_SECRET/,
    )
    const secret = { MERCHANT_API_SECRET: 'x'.repeat(24), PUBLIC_URL: 'https://shop.example' }
    await expect(
      gatewayOptions(parseEnv({ ...secret, ALIPAY_PARTNER: '2088101122136241' })),
    ).rejects.toThrow(/Missing ALIPAY_KEY: set it \(or ALIPAY_KEY_FILE\)/)
    await expect(
      gatewayOptions(
        parseEnv({
          ...secret,
          ALIPAY_APP_ID: '2021000000000001',
          ALIPAY_SELLER_ID: '2088101122136241', // required against Alipay's gateway
          ALIPAY_APP_PRIVATE_KEY: 'k',
        }),
      ),
    ).rejects.toThrow(/Missing ALIPAY_PUBLIC_KEY.*not the app's own public key/)
  })

  it('reads keys from files, with or without a trailing newline', async () => {
    const keyFile = join(dir, 'md5.key')
    writeFileSync(keyFile, 'abcdefghijklmnopqrstuvwxyz012345\n')
    const options = await gatewayOptions(
      parseEnv({
        MERCHANT_API_SECRET: 'x'.repeat(24),
        PUBLIC_URL: 'https://shop.example',
        ALIPAY_PARTNER: '2088101122136241',
        ALIPAY_KEY_FILE: keyFile,
      }),
    )
    expect(options.legacy).toMatchObject({
      partner: '2088101122136241',
      key: 'abcdefghijklmnopqrstuvwxyz012345',
    })
    await expect(
      gatewayOptions(
        parseEnv({
          MERCHANT_API_SECRET: 'x'.repeat(24),
          PUBLIC_URL: 'https://shop.example',
          ALIPAY_PARTNER: '2088101122136241',
          ALIPAY_KEY_FILE: join(dir, 'missing'),
        }),
      ),
    ).rejects.toThrow(/ALIPAY_KEY_FILE: cannot read .*missing \(ENOENT\)/)
  })

  it('takes an app set up with certificates: all three files, never with a public key too', async () => {
    const files = {
      ALIPAY_APP_CERT_FILE: join(dir, 'appCertPublicKey.crt'),
      ALIPAY_PUBLIC_CERT_FILE: join(dir, 'alipayCertPublicKey_RSA2.crt'),
      ALIPAY_ROOT_CERT_FILE: join(dir, 'alipayRootCert.crt'),
    }
    for (const [name, path] of Object.entries(files)) writeFileSync(path, `PEM of ${name}`)
    const open = {
      MERCHANT_API_SECRET: 'x'.repeat(24),
      PUBLIC_URL: 'https://shop.example',
      ALIPAY_APP_ID: '2021000000000001',
      ALIPAY_SELLER_ID: '2088101122136241',
      ALIPAY_APP_PRIVATE_KEY: 'k',
    }
    await expect(gatewayOptions(parseEnv({ ...open, ...files }))).resolves.toMatchObject({
      open: {
        appCert: 'PEM of ALIPAY_APP_CERT_FILE',
        alipayPublicCert: 'PEM of ALIPAY_PUBLIC_CERT_FILE',
        alipayRootCert: 'PEM of ALIPAY_ROOT_CERT_FILE',
      },
    })
    const { ALIPAY_ROOT_CERT_FILE: _missing, ...two } = files
    await expect(gatewayOptions(parseEnv({ ...open, ...two }))).rejects.toThrow(
      /Certificate mode needs all three files/,
    )
    await expect(
      gatewayOptions(parseEnv({ ...open, ...files, ALIPAY_PUBLIC_KEY: 'MIIB' })),
    ).rejects.toThrow(/Set ALIPAY_PUBLIC_KEY \(public-key mode\) or the certificate files/)
  })

  it('says how to start the simulator when it is not running', async () => {
    await expect(
      gatewayOptions(parseEnv({ ALIPAY_SANDBOX_URL: 'http://127.0.0.1:9' })),
    ).rejects.toThrow(
      /local simulator at http:\/\/127\.0\.0\.1:9, which did not answer.*pnpm@12\.21\.0 sandbox/,
    )
  })

  it('checks the catalog file', () => {
    const bad = join(dir, 'catalog.json')
    writeFileSync(bad, JSON.stringify([{ sku: 'tea', name: 'Tea', price: '1.234' }]))
    expect(() => loadCatalog(bad)).toThrow(/CATALOG_FILE .*\[0\.price\] must be yuan like "12.50"/)
  })
})
