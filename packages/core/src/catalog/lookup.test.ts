import { describe, expect, it } from 'vitest'
import { catalogCodes, explainAlipayError } from './lookup.js'

/** Every error code docs/protocol.md, "Error codes" names. */
const DOCUMENTED_CODES = [
  'ILLEGAL_PARTNER',
  'HAS_NO_PRIVILEGE',
  'HASH_NO_PRIVILEGE',
  'ILLEGAL_PARTNER_EXTERFACE',
  'ILLEGAL_ARGUMENT',
  'ILLEGAL_SIGN',
  'seller_not_in_specified_sellers',
  'ILLEGAL_LOGISTICS_FORMAT',
  'TRADE_NOT_ALLOWED_PAY',
  'SELLER_NOT_EXIST',
  'BUYER_SELLER_EQUAL',
  'TRADE_DATA_MATCH_ERROR',
  'ILLEGAL_SERVICE',
  'ILLEGAL_FEE_PARAM',
  'ROYALTY_FORAMT_ERROR',
  'ILLEGAL_SIGN_TYPE',
  'SELF_TIMEOUT_NOT_SUPPORT',
  'ILLEGAL_ANTI_PHISHING_KEY',
  'ILLEGAL_EXTER_INVOKE_IP',
  'isv.invalid-signature',
  'isv.invalid-timestamp',
  'isv.invalid-app-id',
  'ACQ.TRADE_NOT_EXIST',
  'ACQ.TRADE_HAS_SUCCESS',
  'ACQ.TRADE_HAS_CLOSE',
]

describe('error catalog', () => {
  it.each(DOCUMENTED_CODES)('explains %s in both languages', (code) => {
    const zh = explainAlipayError(code, 'zh-CN')
    const en = explainAlipayError(code, 'en')
    expect(zh.known && en.known).toBe(true)
    expect(zh.cause).toMatch(/[\u4e00-\u9fff]/)
    expect(zh.fix.length).toBeGreaterThan(4)
    expect(en.cause).toMatch(/^[\x20-\x7e（）→—–]+$/u)
    expect(en.fix.length).toBeGreaterThan(4)
  })

  it('looks codes up from gateway answers of both kinds', () => {
    expect(explainAlipayError({ error: 'ILLEGAL_SIGN' }).code).toBe('ILLEGAL_SIGN')
    expect(
      explainAlipayError({ code: '40002', sub_code: 'isv.invalid-timestamp' }, 'en').fix,
    ).toMatch(/Asia\/Shanghai/)
    expect(explainAlipayError({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' }, 'en').code).toBe(
      'ACQ.TRADE_NOT_EXIST',
    )
  })

  it('still says something useful about an unknown code', () => {
    const unknown = explainAlipayError('SOMETHING_NEW', 'en')
    expect(unknown).toMatchObject({ code: 'SOMETHING_NEW', known: false })
    expect(unknown.fix).toMatch(/documentation/)
    expect(catalogCodes().length).toBeGreaterThanOrEqual(DOCUMENTED_CODES.length)
  })
})
