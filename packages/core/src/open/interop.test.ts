import { describe, expect, it } from 'vitest'
import { verifyOpenNotification } from '../notify/verify.js'
import { AlipaySdk, sdkGetSN, sdkSign } from '../test-support/alipay-sdk.js'
import { makeCertificate, makeKeyPair } from '../test-support/keys.js'
import { certificateSn, rootCertificateSn } from './cert.js'
import { createOpenConfig } from './config.js'
import { parsePrivateKey } from './keys.js'
import { signOpenRequest } from './request.js'
import { verifyOpenResponse } from './response.js'
import { openSignString, rsaSignParams, rsaSignString, rsaVerifyString } from './rsa.js'

/*
 * Interop with the official alipay-sdk (the independent oracle): what we sign, it verifies; what
 * it signs, we verify; certificate serial numbers agree.
 */
const app = makeKeyPair()
const alipay = makeKeyPair()
const APP_ID = '2021000000000001'

// The SDK checks "notifications" against the key it is given as Alipay's; give it the app's public
// key so it can check our requests.
const sdkAsVerifier = new AlipaySdk({
  appId: APP_ID,
  privateKey: app.pkcs1Pem,
  alipayPublicKey: app.spkiPem,
})

const tricky = {
  out_trade_no: 'T-1001',
  total_amount: '88.80',
  subject: '龙井茶 a+b=c & 50% off',
  passback_params: 'x%2By+z',
}

describe('interop with alipay-sdk', () => {
  it('verifies our RSA2 request signatures, with + and CJK in values', () => {
    const config = createOpenConfig({
      appId: APP_ID,
      privateKey: app.pkcs8Pem,
      alipayPublicKey: alipay.spkiPem,
    })
    const request = signOpenRequest(config, 'alipay.trade.page.pay', {
      bizContent: tricky,
      notifyUrl: 'https://shop.example/alipay/notify',
      params: { passback_note: 'a+b %20 中文' },
    })
    expect(sdkAsVerifier.checkNotifySignV2({ ...request.params })).toBe(true)
    expect(sdkAsVerifier.checkNotifySignV2({ ...request.params, total_amount: '0.01' })).toBe(false)
  })

  it("signs exactly as the SDK's pageExec does for the same parameters", () => {
    const sdk = new AlipaySdk({
      appId: APP_ID,
      privateKey: app.pkcs1Pem,
      alipayPublicKey: alipay.spkiPem,
    })
    const url = new URL(
      sdk.pageExec('alipay.trade.page.pay', 'GET', {
        bizContent: tricky,
        notifyUrl: 'https://shop.example/n',
      }),
    )
    const theirs = Object.fromEntries(url.searchParams)
    // Ours, over the very same parameters (their timestamp), must sign the same string the same way.
    expect(rsaVerifyString(openSignString(theirs), theirs.sign as string, app.publicKey)).toBe(true)
    // RSA PKCS#1 v1.5 is deterministic: over the same parameters our signer must produce their bytes.
    const { sign: theirSign, ...unsigned } = theirs
    expect(rsaSignParams(unsigned, parsePrivateKey(app.pkcs8Base64))).toBe(theirSign)
  })

  it('verifies notifications the SDK signs, including + and CJK', () => {
    // Sign as Alipay would (with "Alipay's" private key), through the SDK's own signer.
    const fields = {
      notify_id: 'ac05099524730693a8b330c5ecf72da9786',
      notify_type: 'trade_status_sync',
      out_trade_no: 'T-1001',
      trade_no: '2026112422001400000000000001',
      trade_status: 'TRADE_SUCCESS',
      total_amount: '88.80',
      subject: '龙井茶 a+b=c',
      passback_params: 'x%2By+z',
      seller_id: '2088101122136241',
    }
    const signed = sdkSign('alipay.trade.page.pay', fields, {
      appId: APP_ID,
      privateKey: alipay.pkcs8Pem,
      signType: 'RSA2',
      charset: 'utf-8',
      version: '1.0',
    })
    const body = Buffer.from(new URLSearchParams(signed).toString())
    const config = createOpenConfig({
      appId: APP_ID,
      privateKey: app.pkcs1Pem,
      alipayPublicKey: alipay.spkiBase64,
      sellerId: '2088101122136241',
    })
    const result = verifyOpenNotification(config, {
      body,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    })
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.notification.params.subject).toBe('龙井茶 a+b=c')
      expect(result.notification.params.passback_params).toBe('x%2By+z')
      expect(result.notification).toMatchObject({ kind: 'trade', amountFen: 8880 })
    }
  })

  it('computes the same certificate SNs as the SDK, and leaves non-RSA roots out', () => {
    const appCert = makeCertificate({
      subject: '/C=CN/O=Ant Test Co/OU=Alipay Open Platform/CN=2021000000000001',
      algorithm: 'rsa',
      serial: '0x1a2b3c4d5e6f708192a3',
    })
    expect(certificateSn(appCert)).toBe(sdkGetSN(appCert))
    const rsaRoot = makeCertificate({
      subject:
        '/C=CN/O=Ant Financial/OU=Certification Authority/CN=Ant Financial Certification Authority R1',
      algorithm: 'rsa',
      serial: '123456789',
    })
    const ecRoot = makeCertificate({
      subject: '/C=CN/O=Ant Financial/CN=Ant Financial Certification Authority E1',
      algorithm: 'ec',
      serial: '42',
    })
    const rsaRoot2 = makeCertificate({
      subject: '/C=CN/O=Ant Financial/CN=Ant Financial Certification Authority R2',
      algorithm: 'rsa',
      serial: '9',
    })
    const bundle = [rsaRoot, ecRoot, rsaRoot2].join('\n')
    const ours = rootCertificateSn(bundle)
    expect(ours).toBe(sdkGetSN(bundle, true))
    expect(ours.split('_')).toEqual([certificateSn(rsaRoot), certificateSn(rsaRoot2)])
  })

  it('adds app_cert_sn and alipay_root_cert_sn in certificate mode', () => {
    const appCert = makeCertificate({
      subject: '/C=CN/O=Shop/CN=app',
      algorithm: 'rsa',
      serial: '5',
      privateKeyPem: app.pkcs8Pem,
    })
    const alipayCert = makeCertificate({
      subject: '/C=CN/O=Ant/CN=alipay',
      algorithm: 'rsa',
      serial: '6',
    })
    const root = makeCertificate({ subject: '/C=CN/O=Ant/CN=root', algorithm: 'rsa', serial: '1' })
    const config = createOpenConfig({
      appId: APP_ID,
      privateKey: app.pkcs8Pem,
      appCert,
      alipayPublicCert: alipayCert,
      alipayRootCert: root,
    })
    const request = signOpenRequest(config, 'alipay.trade.query', {
      bizContent: { out_trade_no: 'A1' },
    })
    expect(request.params.app_cert_sn).toBe(sdkGetSN(appCert))
    expect(request.params.alipay_root_cert_sn).toBe(sdkGetSN(root, true))
    expect(() =>
      createOpenConfig({ appId: APP_ID, privateKey: app.pkcs8Pem, appCert, alipayRootCert: root }),
    ).toThrow(/needs all three/)
    // A certificate of another key pair: every request would be refused, so it is refused now.
    const strangers = makeCertificate({
      subject: '/C=CN/O=Shop/CN=app',
      algorithm: 'rsa',
      serial: '7',
    })
    expect(() =>
      createOpenConfig({
        appId: APP_ID,
        privateKey: app.pkcs8Pem,
        appCert: strangers,
        alipayPublicCert: alipayCert,
        alipayRootCert: root,
      }),
    ).toThrow(/does not hold the public key of privateKey/)
    expect(config.alipayCertSn).toBe(sdkGetSN(alipayCert))
  })

  it("verifies answers with the certificate's key and refuses one naming another certificate", () => {
    const alipayCert = makeCertificate({
      subject: '/C=CN/O=Ant/CN=alipay',
      algorithm: 'rsa',
      serial: '8',
      privateKeyPem: alipay.pkcs8Pem,
    })
    const config = createOpenConfig({
      appId: APP_ID,
      privateKey: app.pkcs8Pem,
      appCert: makeCertificate({
        subject: '/C=CN/O=Shop/CN=app',
        algorithm: 'rsa',
        serial: '9',
        privateKeyPem: app.pkcs8Pem,
      }),
      alipayPublicCert: alipayCert,
      alipayRootCert: makeCertificate({
        subject: '/C=CN/O=Ant/CN=root',
        algorithm: 'rsa',
        serial: '1',
      }),
    })
    const inner = '{"code":"10000","msg":"Success","out_trade_no":"A1"}'
    // As the official SDKs read it: the response, then alipay_cert_sn, then the sign.
    const answer = (sn: string) =>
      `{"alipay_trade_query_response":${inner},"alipay_cert_sn":"${sn}","sign":"${rsaSignString(inner, alipay.privateKey)}"}`
    expect(
      verifyOpenResponse(config, 'alipay.trade.query', answer(sdkGetSN(alipayCert))),
    ).toMatchObject({
      verified: true,
      success: true,
    })
    expect(() =>
      verifyOpenResponse(config, 'alipay.trade.query', answer('0123456789abcdef0123456789abcdef')),
    ).toThrow(
      /signed with Alipay's certificate 0123456789abcdef0123456789abcdef, not the configured one.*download Alipay's current public-key certificate/,
    )
  })
})
