import type { AlipayInputError } from '../shared/errors.js'
import { parseYuan } from '../shared/money.js'
import type { NotificationResult, RefundResultLine } from './types.js'

const CODE = /^[A-Z][A-Z0-9_]*$/

type Params = Readonly<Record<string, string>>

const reject = (
  code: 'MISSING_FIELD' | 'BAD_FIELD',
  reason: string,
  params: Params,
): NotificationResult => ({ ok: false, rejection: { code, reason, params } })

/** One `trade_no^amount^result[$account^user_id^fee^result]` entry, or why it cannot be read. */
function parseLine(entry: string): RefundResultLine | string {
  const [main = '', feePart, ...extra] = entry.split('$')
  if (extra.length > 0) return `"${entry}" has more than one fee part ($)`
  const [tradeNo = '', amount = '', result = '', ...rest] = main.split('^')
  if (rest.length > 0 || !tradeNo || !CODE.test(result))
    return `"${main}" is not trade_no^amount^result`
  let fee: RefundResultLine['fee']
  if (feePart !== undefined) {
    const [account = '', userId = '', feeAmount = '', feeResult = '', ...more] = feePart.split('^')
    if (more.length > 0 || !CODE.test(feeResult))
      return `"${feePart}" is not account^user_id^fee^result`
    fee = { account, userId, amountFen: parseYuan(feeAmount, 'fee'), result: feeResult }
  }
  return {
    tradeNo,
    amountFen: parseYuan(amount, 'refund amount'),
    result,
    succeeded: result === 'SUCCESS',
    fee,
  }
}

/**
 * Reads a verified `batch_refund_notify` (docs/protocol.md, "Legacy refunds"): `batch_no`,
 * `success_num` and `result_details`, whose entries are joined by `#`. Refuses what it cannot
 * read unambiguously, so that nothing is recorded from a half-understood result.
 */
export function parseRefundBatch(params: Params): NotificationResult {
  for (const field of ['notify_id', 'batch_no', 'success_num']) {
    if (!params[field])
      return reject('MISSING_FIELD', `The refund notification has no ${field}`, params)
  }
  const successText = params.success_num as string
  if (!/^\d{1,4}$/.test(successText))
    return reject('BAD_FIELD', `success_num "${successText}" is not a count`, params)
  const details = params.result_details ?? ''
  const results: RefundResultLine[] = []
  for (const entry of details.split('#').filter((part) => part !== '')) {
    let line: RefundResultLine | string
    try {
      line = parseLine(entry)
    } catch (error) {
      const { field, rule } = error as AlipayInputError
      line = `${field} ${rule}`
    }
    if (typeof line === 'string') return reject('BAD_FIELD', `result_details: ${line}`, params)
    results.push(line)
  }
  // success_num is kept as told, not checked: the lines are what is recorded, and refusing a
  // genuine result over a count would leave a refund that happened unrecorded.
  const successNum = Number(successText)
  // Alipay refuses such a batch (DUBL_TRADE_NO_IN_SAME_BATCH); one refund per trade and batch.
  const tradeNos = new Set(results.map((line) => line.tradeNo))
  if (tradeNos.size !== results.length)
    return reject('BAD_FIELD', 'result_details names one trade twice', params)
  return {
    ok: true,
    notification: {
      kind: 'refund_batch',
      gateway: 'legacy',
      notifyId: params.notify_id as string,
      notifyType: 'batch_refund_notify',
      notifyTime: params.notify_time,
      batchNo: params.batch_no as string,
      successNum,
      results,
      params,
    },
  }
}
