import { describe, expect, it } from 'vitest'
import { parseReceiveAddress } from './address.js'

describe('parseReceiveAddress', () => {
  it('reads every field, unescaping XML entities', () => {
    expect(
      parseReceiveAddress(
        '<receive_address><address>世纪大道100号 A&amp;B座</address><fullname>张三</fullname><mobile_phone>13800000001</mobile_phone><post>200120</post><prov>上海</prov><city>上海市</city><area>浦东新区</area></receive_address>',
      ),
    ).toEqual({
      fullname: '张三',
      mobilePhone: '13800000001',
      phone: undefined,
      prov: '上海',
      city: '上海市',
      area: '浦东新区',
      address: '世纪大道100号 A&B座',
      post: '200120',
    })
  })

  it.each([
    ['not an address', '<user><id>1</id></user>'],
    ['no recipient', '<receive_address><prov>上海</prov><address>x</address></receive_address>'],
    [
      'no province',
      '<receive_address><fullname>张三</fullname><address>x</address></receive_address>',
    ],
    ['empty', ''],
    [
      'NUL (XML forbids it; the store could not keep it)',
      '<receive_address><fullname>张\u0000三</fullname><prov>上海</prov><address>x</address></receive_address>',
    ],
    [
      'a lone surrogate',
      '<receive_address><fullname>张\ud800</fullname><prov>上海</prov><address>x</address></receive_address>',
    ],
  ])('refuses %s', (_, xml) => {
    expect(parseReceiveAddress(xml)).toBeUndefined()
  })
})
