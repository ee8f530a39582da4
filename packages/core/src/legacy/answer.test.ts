import { describe, expect, it } from 'vitest'
import { explainAlipayError } from '../catalog/lookup.js'
import { parseLegacyAnswer } from './answer.js'
import { createLegacyConfig } from './config.js'
import { md5Sign } from './md5.js'

const config = createLegacyConfig({
  partner: '2088101122136241',
  key: 'abcdefghijklmnopqrstuvwxyz012345',
})

describe('parseLegacyAnswer', () => {
  it('reads a successful, signed answer', () => {
    const fields = {
      out_trade_no: 'A1001',
      trade_status: 'TRADE_FINISHED',
      subject: 'Tea & <milk>',
    }
    const xml = `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><request><param name="service">single_trade_query</param></request><response><trade><out_trade_no>A1001</out_trade_no><trade_status>TRADE_FINISHED</trade_status><subject>Tea &amp; &lt;milk&gt;</subject></trade></response><sign>${md5Sign(fields, config.key, 'utf-8')}</sign><sign_type>MD5</sign_type></alipay>`
    expect(parseLegacyAnswer(config, xml)).toEqual({
      success: true,
      error: undefined,
      fields,
      signatureValid: true,
    })
  })

  it('flags an answer whose signature does not match', () => {
    const xml =
      '<alipay><is_success>T</is_success><response><timestamp><encrypt_key>KEY1</encrypt_key></timestamp></response><sign>0123456789abcdef0123456789abcdef</sign><sign_type>MD5</sign_type></alipay>'
    expect(parseLegacyAnswer(config, xml)).toMatchObject({
      success: true,
      fields: { encrypt_key: 'KEY1' },
      signatureValid: false,
    })
  })

  it('reads an error answer, explainable by the catalog', () => {
    const answer = parseLegacyAnswer(
      config,
      '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>ILLEGAL_SIGN</error></alipay>',
    )
    expect(answer).toMatchObject({
      success: false,
      error: 'ILLEGAL_SIGN',
      signatureValid: undefined,
    })
    expect(explainAlipayError({ error: answer.error }, 'en').cause).toMatch(/signature/)
  })
})
