import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { certificateSn, createOpenClient, rootCertificateSn } from '@alipay-kit/core'
import { AlipaySdk } from 'alipay-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSandbox, startSandbox } from './server.js'

/*
 * Certificate mode (公钥证书, docs/protocol.md "Certificate mode"): the simulator issues its own
 * root and Alipay's and the app's certificates. Independent tools read them: the openssl CLI
 * verifies the chain, the core and the official Node SDK (its own X.509 parser) compute the same
 * serial numbers, and the SDK as a client talks to the simulator in this mode.
 */

let sandbox: RunningSandbox
beforeAll(async () => {
  sandbox = await startSandbox({ certificates: true })
})
afterAll(() => sandbox.close())

const certificates = () => {
  const found = sandbox.credentials.certificates
  if (!found) throw new Error('no certificates')
  return found
}

function sdk(overrides: Record<string, string> = {}) {
  const c = sandbox.credentials
  return new AlipaySdk({
    appId: c.appId,
    privateKey: c.appPrivateKey,
    keyType: 'PKCS8',
    appCertContent: certificates().appCert,
    alipayPublicCertContent: certificates().alipayPublicCert,
    alipayRootCertContent: certificates().alipayRootCert,
    gateway: sandbox.gatewayUrl,
    ...overrides,
  })
}

describe('the simulator’s certificates', () => {
  it('verify with their root under openssl, and carry the keys they claim', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-certs-'))
    const files = {
      root: join(dir, 'alipayRootCert.crt'),
      app: join(dir, 'appCert.crt'),
      alipay: join(dir, 'alipayCert.crt'),
    }
    writeFileSync(files.root, certificates().alipayRootCert)
    writeFileSync(files.app, certificates().appCert)
    writeFileSync(files.alipay, certificates().alipayPublicCert)
    for (const file of [files.app, files.alipay]) {
      const out = execFileSync('openssl', ['verify', '-CAfile', files.root, file], {
        encoding: 'utf8',
      })
      expect(out.trim()).toBe(`${file}: OK`)
    }
    const appKey = execFileSync('openssl', ['x509', '-in', files.app, '-noout', '-pubkey'], {
      encoding: 'utf8',
    })
    expect(appKey.replace(/\s/g, '')).toBe(sandbox.credentials.appPublicKey.replace(/\s/g, ''))
  })

  it('have the same serial numbers for the core, the official SDK and the simulator', () => {
    const official = sdk().config
    const sns = sandbox.simulator.certificateSns
    expect(official.appCertSn).toBe(certificateSn(certificates().appCert))
    expect(official.alipayCertSn).toBe(certificateSn(certificates().alipayPublicCert))
    expect(official.alipayRootCertSn).toBe(rootCertificateSn(certificates().alipayRootCert))
    expect(sns).toEqual({
      appCertSn: official.appCertSn,
      alipayCertSn: official.alipayCertSn,
      alipayRootCertSn: official.alipayRootCertSn,
    })
    // The bundle holds a root that is not RSA-signed, left out of the SN like Alipay's SM2 root.
    expect(certificates().alipayRootCert.match(/BEGIN CERTIFICATE/g)).toHaveLength(2)
    expect(official.alipayRootCertSn).not.toContain('_')
  })
})

/** The core's client configured with the simulator's three files. */
function certifiedClient() {
  const c = sandbox.credentials
  return createOpenClient({
    appId: c.appId,
    privateKey: c.appPrivateKey,
    appCert: certificates().appCert,
    alipayPublicCert: certificates().alipayPublicCert,
    alipayRootCert: certificates().alipayRootCert,
    gateway: sandbox.gatewayUrl,
  })
}

describe('requests and answers in certificate mode', () => {
  it('the official SDK in certificate mode gets a signed answer naming Alipay’s certificate', async () => {
    // The SDK writes its timestamp in the server's local time; this machine's is UTC, which
    // Alipay refuses (isv.invalid-timestamp, docs/protocol.md): run it as a server in China.
    const zone = process.env.TZ
    process.env.TZ = 'Asia/Shanghai'
    try {
      const result = await sdk().exec('alipay.trade.query', {
        bizContent: { out_trade_no: 'NOPE' },
      })
      // Verified by the SDK against the certificate's key (it throws on a bad signature).
      expect(result).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' })
    } finally {
      if (zone === undefined) delete process.env.TZ
      else process.env.TZ = zone
    }
  })

  it('the core in certificate mode: app_cert_sn and alipay_root_cert_sn sent, the answer verified', async () => {
    const client = certifiedClient()
    const request = client.tradeQuery({ out_trade_no: 'NOPE' })
    expect(request.params.app_cert_sn).toBe(sandbox.simulator.certificateSns?.appCertSn)
    const text = await (
      await fetch(sandbox.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: request.body,
      })
    ).text()
    expect(text).toMatch(/"alipay_cert_sn":"[0-9a-f]{32}","sign":/)
    expect(client.verifyResponse('alipay.trade.query', text)).toMatchObject({
      verified: true,
      subCode: 'ACQ.TRADE_NOT_EXIST',
    })
  })

  it.each([
    [
      'no certificate SNs (public-key mode)',
      { app_cert_sn: undefined },
      'isv.app-cert-not-exist',
      '应用公钥证书不存在',
    ],
    [
      'another app certificate',
      { app_cert_sn: '0'.repeat(32) },
      'isv.app-cert-not-exist',
      '应用公钥证书不存在',
    ],
    [
      'another root',
      { alipay_root_cert_sn: '0'.repeat(32) },
      'isv.invalid-alipay-root-cert-sn',
      '无效支付宝根证书序列号',
    ],
  ])('refuses %s with Alipay’s code', async (_label, change, subCode, subMsg) => {
    const client = certifiedClient()
    const params = new URLSearchParams(client.tradeQuery({ out_trade_no: 'NOPE' }).body)
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) params.delete(name)
      else params.set(name, value)
    }
    const text = await (
      await fetch(sandbox.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: params.toString(),
      })
    ).text()
    expect(JSON.parse(text).alipay_trade_query_response).toMatchObject({
      code: '40002',
      sub_code: subCode,
      sub_msg: subMsg,
    })
  })
})
