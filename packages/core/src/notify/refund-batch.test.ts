import { describe, expect, it } from 'vitest'
import { createLegacyConfig } from '../legacy/config.js'
import { md5Sign } from '../legacy/md5.js'
import { percentEncode } from '../shared/charset.js'
import { parseRefundBatch } from './refund-batch.js'
import { verifyLegacyNotification } from './verify.js'

const legacy = createLegacyConfig({
  partner: '2088101122136241',
  key: 'abcdefghijklmnopqrstuvwxyz012345',
})

function body(fields: Record<string, string>): Buffer {
  const signed = { ...fields, sign: md5Sign(fields, legacy.key, 'utf-8'), sign_type: 'MD5' }
  return Buffer.from(
    Object.entries(signed)
      .map(([k, v]) => `${k}=${percentEncode(v, 'utf-8')}`)
      .join('&'),
  )
}

// The documented example (docs/protocol.md, "Legacy refunds"); the corpus has it with its source.
const batch = {
  notify_time: '2009-08-12 11:08:32',
  notify_type: 'batch_refund_notify',
  notify_id: '70fec0c2730b27528665af4517c27b95',
  batch_no: '20060702001',
  success_num: '1',
  result_details:
    '2010031906272929^80^SUCCESS$jax_chuanhang@alipay.com^2088101003147483^0.01^SUCCESS',
}

describe('legacy refund batch results (batch_refund_notify)', () => {
  it('verifies one though it names no seller, and reads each line with its fee part', () => {
    const result = verifyLegacyNotification(legacy, { body: body(batch) })
    expect(result).toMatchObject({
      ok: true,
      notification: {
        kind: 'refund_batch',
        batchNo: '20060702001',
        successNum: 1,
        results: [
          {
            tradeNo: '2010031906272929',
            amountFen: 8000,
            result: 'SUCCESS',
            succeeded: true,
            fee: {
              account: 'jax_chuanhang@alipay.com',
              userId: '2088101003147483',
              amountFen: 1,
              result: 'SUCCESS',
            },
          },
        ],
      },
    })
  })

  it('reads refused lines with their code, success and failure side by side', () => {
    const result = parseRefundBatch({
      ...batch,
      success_num: '1',
      result_details:
        '2016070821001004700239503693^0.02^TRADE_STATUS_ERROR#2016070821001004700239503694^1.00^SUCCESS',
    })
    if (!result.ok || result.notification.kind !== 'refund_batch')
      throw new Error('expected a batch')
    expect(
      result.notification.results.map((l) => [l.tradeNo, l.amountFen, l.result, l.succeeded]),
    ).toEqual([
      ['2016070821001004700239503693', 2, 'TRADE_STATUS_ERROR', false],
      ['2016070821001004700239503694', 100, 'SUCCESS', true],
    ])
  })

  it('still takes a trade notification as a trade notification (it must name its seller)', () => {
    const trade = {
      notify_id: 'n-1',
      notify_type: 'trade_status_sync',
      out_trade_no: 'A1',
      trade_status: 'TRADE_SUCCESS',
      total_fee: '1.00',
    }
    expect(verifyLegacyNotification(legacy, { body: body(trade) })).toMatchObject({
      ok: false,
      rejection: { code: 'WRONG_SELLER' },
    })
  })

  it.each([
    ['no batch_no', { batch_no: '' }, 'MISSING_FIELD', 'batch_no'],
    ['a count that is not one', { success_num: 'two' }, 'BAD_FIELD', 'success_num'],
    [
      'a line without a result',
      { result_details: '2010031906272929^80' },
      'BAD_FIELD',
      'trade_no^amount^result',
    ],
    [
      'an amount with three decimals',
      { result_details: '2010031906272929^0.001^SUCCESS' },
      'BAD_FIELD',
      'refund amount',
    ],
    [
      'a malformed fee part',
      { result_details: '2010031906272929^80^SUCCESS$a^b' },
      'BAD_FIELD',
      'account^user_id^fee^result',
    ],
    ['one trade twice', { result_details: '1^1.00^SUCCESS#1^2.00^SUCCESS' }, 'BAD_FIELD', 'twice'],
  ])('refuses %s, naming what is wrong', (_label, change, code, words) => {
    expect(parseRefundBatch({ ...batch, ...change })).toMatchObject({
      ok: false,
      rejection: { code, reason: expect.stringContaining(words) },
    })
  })

  it('reads an empty result (nothing refunded) as no lines', () => {
    const result = parseRefundBatch({ ...batch, success_num: '0', result_details: '' })
    expect(result).toMatchObject({ ok: true, notification: { successNum: 0, results: [] } })
  })
})
