import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'
import { gatewayOptions } from '../options.js'
import { goingLiveProblems } from '../production.js'

/*
 * Issue 25, finding 5: the going-live checks (a public https PUBLIC_URL, the Open Platform's
 * seller) ran only when NODE_ENV was exactly `production`; a deployment talking to the real Alipay
 * without it went live with no seller check. They now apply whenever a gateway is Alipay's own
 * (production or its sandbox), whatever NODE_ENV says; NODE_ENV=production still applies them to
 * any gateway.
 */

const dir = mkdtempSync(join(tmpdir(), 'bff-going-live-'))
const keyFile = join(dir, 'md5.key')
writeFileSync(keyFile, 'abcdefghijklmnopqrstuvwxyz012345\n')
const secret = { MERCHANT_API_SECRET: 'x'.repeat(24) }
const open = { ...secret, ALIPAY_APP_ID: '2021000000000001', PUBLIC_URL: 'https://shop.example' }
const legacy = { ...secret, ALIPAY_PARTNER: '2088101122136241', ALIPAY_KEY_FILE: keyFile }
const SIMULATOR = 'http://sandbox.test:4010/gateway.do'

const problems = (variables: Record<string, string>) =>
  goingLiveProblems(parseEnv(variables)).join('\n')

describe("against Alipay's gateways the going-live checks apply whatever NODE_ENV says", () => {
  it.each([
    ['unset', {}],
    ['development', { NODE_ENV: 'development' }],
    ['staging', { NODE_ENV: 'staging' }],
  ])('NODE_ENV %s: the Open Platform needs its seller', (_what, nodeEnv) => {
    expect(problems({ ...open, ...nodeEnv })).toContain(
      "ALIPAY_SELLER_ID: set it to the seller's 2088… user id",
    )
    // Alipay's sandbox is Alipay too: its notifications are signed by Alipay for whoever asks.
    expect(
      problems({
        ...open,
        ...nodeEnv,
        ALIPAY_OPEN_GATEWAY: 'https://openapi-sandbox.dl.alipaydev.com/gateway.do',
      }),
    ).toContain('ALIPAY_SELLER_ID')
    expect(problems({ ...open, ...nodeEnv, ALIPAY_SELLER_ID: '2088101122136241' })).toBe('')
  })

  it('a PUBLIC_URL Alipay cannot reach, or plain http, is refused without NODE_ENV', () => {
    expect(problems({ ...legacy, PUBLIC_URL: 'http://shop.example' })).toContain('must be https')
    expect(problems({ ...legacy, PUBLIC_URL: 'https://192.168.1.20' })).toContain(
      'a private address',
    )
  })

  it('the server refuses to start: gatewayOptions throws naming the variable', async () => {
    await expect(
      gatewayOptions(parseEnv({ ...open, ALIPAY_APP_PRIVATE_KEY: 'k' })),
    ).rejects.toThrow(/ALIPAY_SELLER_ID: set it/)
  })

  it('credentials against a gateway that is not Alipay (a simulator on a staging box) are not live', () => {
    const staging = {
      ...open,
      ...legacy,
      PUBLIC_URL: 'http://192.168.1.20:3000',
      ALIPAY_OPEN_GATEWAY: SIMULATOR,
      ALIPAY_LEGACY_GATEWAY: SIMULATOR,
    }
    expect(problems(staging)).toBe('')
    // One gateway of Alipay's is enough to make the deployment live.
    const { ALIPAY_LEGACY_GATEWAY: _real, ...oneReal } = staging
    expect(problems(oneReal)).toContain('must be https')
    // NODE_ENV=production still applies every check, whatever the gateways.
    expect(problems({ ...staging, NODE_ENV: 'production' })).toContain('ALIPAY_SELLER_ID')
  })
})
