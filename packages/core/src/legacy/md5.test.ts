import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { legacySignString, md5Sign, md5Verify } from './md5.js'

const KEY = '10000000000000000000000000000000'

describe('legacy MD5 signing: known answers', () => {
  it("signs the FAQ's own example (item 1)", () => {
    // md5('email=test&partner=2088006300000000&service=create_direct_pay_by_user' + '1234567890123'), checked with md5sum.
    const params = {
      service: 'create_direct_pay_by_user',
      partner: '2088006300000000',
      email: 'test',
    }
    expect(legacySignString(params)).toBe(
      'email=test&partner=2088006300000000&service=create_direct_pay_by_user',
    )
    expect(md5Sign(params, '1234567890123', 'utf-8')).toBe('4cd4483a98cdee333c4db71452546c87')
  })

  it('matches the public test vectors of PROTOCOL.md', () => {
    expect(md5Sign({ partner: '123', service: 'test' }, KEY, 'utf-8')).toBe(
      'bbd13b52823b576291595f472ebcfbc2',
    )
    expect(md5Sign({ notify_id: '1234' }, KEY, 'utf-8')).toBe('22fc7e38e5acdfede396aa463870d111')
    const payment = {
      service: 'create_direct_pay_by_user',
      partner: '1000000000000000',
      _input_charset: 'utf-8',
      out_trade_no: '1',
      payment_type: '1',
      price: '0.01',
      quantity: '1',
      seller_id: '1000000000000000',
      subject: 'test',
    }
    expect(md5Sign(payment, KEY, 'utf-8')).toBe('682ad02280fca7d4c0fd22678fdddeef')
  })

  it('hashes GBK bytes for a GBK request (cross-checked with iconv -t gbk | md5sum)', () => {
    const params = {
      _input_charset: 'gbk',
      out_trade_no: 'A1001',
      partner: '2088101122136241',
      subject: '测试商品 龙井茶',
      total_fee: '0.01',
    }
    const key = 'abcdefghijklmnopqrstuvwxyz012345'
    expect(md5Sign(params, key, 'gbk')).toBe('ac820d9d99a603695b018f0e5bb53194')
    // The same text over UTF-8 bytes gives another signature: the charset matters (ILLEGAL_SIGN otherwise).
    expect(md5Sign(params, key, 'utf-8')).toBe('d3a46c87944e2cb36bdec5348607f592')
  })

  it('agrees with iconv + md5sum on the GBK bytes, run now as an independent tool', () => {
    const text =
      '_input_charset=gbk&out_trade_no=A1001&partner=2088101122136241&subject=测试商品 龙井茶&total_fee=0.01abcdefghijklmnopqrstuvwxyz012345'
    const gbk = execFileSync('iconv', ['-f', 'utf-8', '-t', 'gbk'], { input: text })
    const digest = execFileSync('md5sum', { input: gbk }).toString().split(' ')[0]
    expect(digest).toBe('ac820d9d99a603695b018f0e5bb53194')
  })

  it('drops sign, sign_type and empty values, and sorts names (not joined pairs)', () => {
    const params = { ab: '1', a: 'z', sign: 'x', sign_type: 'MD5', empty: '' }
    // "a=z" must precede "ab=1" although "a=z" > "ab=1" as strings.
    expect(legacySignString(params)).toBe('a=z&ab=1')
  })
})

describe('legacy MD5 signing: properties', () => {
  const name = fc.stringMatching(/^[a-z_]{1,12}$/)
  const value = fc.string({
    unit: fc.constantFrom(...'ab +%&=中文 ~!'.split('')),
    minLength: 1,
    maxLength: 20,
  })

  it('is independent of parameter order', () => {
    fc.assert(
      fc.property(fc.dictionary(name, value, { minKeys: 1 }), (params) => {
        const reversed = Object.fromEntries(Object.entries(params).reverse())
        expect(md5Sign(reversed, KEY, 'utf-8')).toBe(md5Sign(params, KEY, 'utf-8'))
      }),
    )
  })

  it('round-trips sign → verify for any printable values, and any change breaks it', () => {
    fc.assert(
      fc.property(
        fc.dictionary(name, value, { minKeys: 1 }),
        fc.constantFrom('utf-8' as const, 'gbk' as const),
        (params, charset) => {
          const sign = md5Sign(params, KEY, charset)
          expect(md5Verify(params, sign, KEY, charset)).toBe(true)
          expect(md5Verify(params, sign.toUpperCase(), KEY, charset)).toBe(true)
          const [first] = Object.keys(params)
          expect(
            md5Verify(
              { ...params, [first as string]: `${params[first as string]}x` },
              sign,
              KEY,
              charset,
            ),
          ).toBe(false)
          expect(md5Verify(params, sign, `${KEY.slice(1)}1`, charset)).toBe(false)
        },
      ),
    )
  })
})
