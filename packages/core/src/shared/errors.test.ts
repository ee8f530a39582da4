import { describe, expect, it } from 'vitest'
import { createLegacyConfig } from '../legacy/config.js'
import { createOpenConfig } from '../open/config.js'
import { parsePrivateKey } from '../open/keys.js'
import { verifyOpenResponse } from '../open/response.js'
import { makeKeyPair } from '../test-support/keys.js'
import {
  AlipayConfigError,
  AlipayGatewayError,
  AlipayInputError,
  AlipayKeyError,
  AlipayKitError,
  AlipayResponseError,
  isAlipayKitError,
  StoreUnavailableError,
} from './errors.js'

const caught = (work: () => unknown): unknown => {
  try {
    work()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('one error family', () => {
  it('every error the core throws is an AlipayKitError with a stable code', () => {
    const input = caught(() => createLegacyConfig({ partner: 'seller@shop.example', key: 'x' }))
    expect(input).toBeInstanceOf(AlipayInputError)
    expect(input).toMatchObject({ code: 'INVALID_INPUT', field: 'partner' })
    const key = caught(() => parsePrivateKey('not a key'))
    expect(key).toBeInstanceOf(AlipayKeyError)
    expect(key).toMatchObject({ code: 'INVALID_KEY' })
    const pair = makeKeyPair()
    const config = createOpenConfig({
      appId: '2021000000000001',
      privateKey: pair.pkcs8Pem,
      alipayPublicKey: pair.spkiPem,
    })
    const answer = caught(() => verifyOpenResponse(config, 'alipay.trade.query', '[]'))
    expect(answer).toBeInstanceOf(AlipayResponseError)
    expect(answer).toMatchObject({ code: 'UNTRUSTED_ANSWER' })
    for (const error of [input, key, answer]) expect(isAlipayKitError(error)).toBe(true)
  })

  it('each kind has its code; isAlipayKitError tells them apart without reading messages', () => {
    const errors = [
      new AlipayConfigError('publicUrl', 'publicUrl must be https'),
      new AlipayGatewayError('ACQ.TRADE_HAS_SUCCESS', 'paid already'),
      new StoreUnavailableError('connect ECONNREFUSED'),
      new AlipayKitError('MISUSE', 'wrap it in <AlipayProvider>'),
    ]
    expect(errors.map((e) => e.code)).toEqual([
      'INVALID_CONFIG',
      'ACQ.TRADE_HAS_SUCCESS',
      'STORE_UNAVAILABLE',
      'MISUSE',
    ])
    expect(errors.map((e) => e.name)).toEqual([
      'AlipayConfigError',
      'AlipayGatewayError',
      'StoreUnavailableError',
      'AlipayKitError',
    ])
    expect(isAlipayKitError(errors[2], 'STORE_UNAVAILABLE')).toBe(true)
    expect(isAlipayKitError(errors[2], 'INVALID_CONFIG')).toBe(false)
    expect(isAlipayKitError(new Error('STORE_UNAVAILABLE'))).toBe(false)
  })
})
