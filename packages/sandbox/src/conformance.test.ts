import {
  createLegacyClient,
  createOpenClient,
  type LegacyClient,
  type OpenClient,
  type OpenRequest,
} from '@alipay-kit/core'
import { type ConformanceSample, conformanceSamples } from '@alipay-kit/core/conformance'
import { unzipSync } from 'fflate'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningSandbox, startSandbox } from './server.js'

/*
 * The simulator against the conformance corpus (packages/core/conformance): for each sample, the
 * simulator produces the same event and its message must carry the same fields, in the same
 * formats (timestamps, amounts, statuses, ids, JSON and composite values), but for the fields the
 * sample names as carried only sometimes. The corpus comes from Alipay's documents and SDKs, never
 * from the simulator: this is where a wrong idea the simulator and the BFF share would show.
 */

let sandbox: RunningSandbox
let legacy: LegacyClient
let open: OpenClient
let seq = 0
const orderNo = () => `C${Date.now()}${++seq}`
const NOTIFY = 'http://127.0.0.1:9/alipay/notify'
const RETURN = 'http://127.0.0.1:9/alipay/return'

beforeAll(async () => {
  sandbox = await startSandbox()
  const c = sandbox.credentials
  legacy = createLegacyClient({ partner: c.partner, key: c.key, gateway: sandbox.gatewayUrl })
  open = createOpenClient({
    appId: c.appId,
    privateKey: c.appPrivateKey,
    alipayPublicKey: c.alipayPublicKey,
    gateway: sandbox.gatewayUrl,
  })
})
afterAll(() => sandbox.close())

const text = (url: string) => fetch(url).then((r) => r.text())
const post = (request: OpenRequest) =>
  fetch(sandbox.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: request.body,
  }).then((r) => r.text())
const sent = (no: string, type: string) =>
  sandbox.simulator.deliveries
    .list(no)
    .filter((d) => d.params.notify_type === type)
    .map((d) => d.params)

async function instantTrade(): Promise<{ no: string; tradeNo: string; returnUrl: string }> {
  const request = legacy.directPay({
    out_trade_no: orderNo(),
    subject: '龙井茶',
    total_fee: '12.00',
    notify_url: NOTIFY,
    return_url: RETURN,
  })
  await fetch(request.url, { redirect: 'manual' })
  const no = request.params.out_trade_no as string
  const { trade, returnUrl } = await sandbox.admin.pay(no)
  return { no, tradeNo: trade.tradeNo, returnUrl: returnUrl as string }
}

/**
 * A day with a payment and a partial refund at a simulator of its own (its clock then moves a day
 * on, so the day's bill exists), and the bill download's answer for it.
 */
async function billOfADay<T>(
  use: (bill: { answerText: string; url: string }) => Promise<T>,
): Promise<T> {
  const own = await startSandbox({ credentials: sandbox.credentials })
  try {
    const client = createOpenClient({
      appId: own.credentials.appId,
      privateKey: own.credentials.appPrivateKey,
      alipayPublicKey: own.credentials.alipayPublicKey,
      gateway: own.gatewayUrl,
    })
    const send = (request: OpenRequest) =>
      fetch(own.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: request.body,
      }).then((r) => r.text())
    const no = orderNo()
    await send(
      client.precreate(
        { out_trade_no: no, total_amount: '128.00', subject: '龙井茶 250g' },
        { notifyUrl: NOTIFY },
      ),
    )
    await own.admin.pay(no)
    await send(
      client.tradeRefund({ out_trade_no: no, refund_amount: '28.00', out_request_no: 'R1' }),
    )
    const day = new Date((await own.admin.clock()).nowMs + 8 * 3600_000).toISOString().slice(0, 10)
    await own.admin.advanceClock(24 * 3600_000)
    const request = client.billDownloadUrlQuery({ bill_type: 'trade', bill_date: day })
    const answerText = await send(request)
    const url = client.verifyResponse(request.method, answerText).data.bill_download_url as string
    return await use({ answerText, url })
  } finally {
    await own.close()
  }
}

async function refundBatch(tradeNo: string, amount: string): Promise<string> {
  const batchNo = `20261201${String(++seq).padStart(6, '0')}`
  const request = legacy.refundWithoutPassword({
    batch_no: batchNo,
    refund_date: '2026-12-01 12:00:00',
    notify_url: NOTIFY,
    details: [{ trade_no: tradeNo, amount, reason: 'conformance' }],
  })
  expect(await text(request.url)).toContain('<is_success>T</is_success>')
  return batchNo
}

async function pageTrade(): Promise<string> {
  const no = orderNo()
  const request = open.pagePay(
    { out_trade_no: no, total_amount: '20.00', subject: '当面付交易' },
    { notifyUrl: NOTIFY, returnUrl: RETURN },
  )
  await fetch(request.url, { redirect: 'manual' })
  await sandbox.admin.pay(no)
  return no
}

/** The simulator's message for each event of the corpus: fields, or an answer's exact text. */
const EVENTS: Record<string, () => Promise<Record<string, string> | string>> = {
  'open-paid': async () =>
    sent(await pageTrade(), 'trade_status_sync')[0] as Record<string, string>,
  'open-refunded-partial': async () => {
    const no = await pageTrade()
    const answer = await post(
      open.tradeRefund({ out_trade_no: no, refund_amount: '12.00', out_request_no: 'HZRF001' }),
    )
    expect(answer).toContain('"code":"10000"')
    return sent(no, 'trade_status_sync').at(-1) as Record<string, string>
  },
  'legacy-instant-refunded': async () => {
    const { no, tradeNo } = await instantTrade()
    await refundBatch(tradeNo, '12.00')
    return sent(no, 'trade_status_sync').at(-1) as Record<string, string>
  },
  'legacy-refund-batch': async () => {
    const { no, tradeNo } = await instantTrade()
    await refundBatch(tradeNo, '5.00')
    return sent(no, 'batch_refund_notify')[0] as Record<string, string>
  },
  'legacy-refund-batch-refused': async () => {
    const { no, tradeNo } = await instantTrade()
    await sandbox.admin.act(no, 'finish') // past the refund period: TRADE_STATUS_ERROR
    await refundBatch(tradeNo, '5.00')
    return sent(no, 'batch_refund_notify')[0] as Record<string, string>
  },
  'legacy-instant-return': async () =>
    Object.fromEntries(new URL((await instantTrade()).returnUrl).searchParams),
  'open-wap-return': async () => {
    const no = orderNo()
    const request = open.wapPay(
      { out_trade_no: no, total_amount: '9.00', subject: 'wap' },
      { notifyUrl: NOTIFY, returnUrl: RETURN },
    )
    await fetch(request.url, { redirect: 'manual' })
    const { returnUrl } = await sandbox.admin.pay(no)
    return Object.fromEntries(new URL(returnUrl as string).searchParams)
  },
  'open-precreate': () =>
    post(
      open.precreate(
        { out_trade_no: orderNo(), total_amount: '1.00', subject: 'qr' },
        { notifyUrl: NOTIFY },
      ),
    ),
  'open-invalid-signature': () => {
    const stranger = createOpenClient({
      appId: sandbox.credentials.appId,
      privateKey: sandbox.credentials.alipayPrivateKey, // not the app's key
      alipayPublicKey: sandbox.credentials.alipayPublicKey,
      gateway: sandbox.gatewayUrl,
    })
    return post(
      stranger.precreate(
        { out_trade_no: orderNo(), total_amount: '1.00', subject: 'qr' },
        { notifyUrl: NOTIFY },
      ),
    )
  },
  'open-code-invalid': () => post(open.oauthToken({ code: 'used-or-unknown-code' })),
  'open-bill-download-url': () => billOfADay(async ({ answerText }) => answerText),
  'open-trade-bill': () =>
    billOfADay(async ({ url }) => {
      const zip = new Uint8Array(await (await fetch(url)).arrayBuffer())
      const names = Object.keys(unzipSync(zip))
      // The names are GBK without the UTF-8 flag: read byte for byte, then decoded.
      const decoded = names.map((name) => iconv.decode(Buffer.from(name, 'latin1'), 'gbk'))
      expect(decoded.map((name) => name.replace(/^\d+_\d{8}_/, '')).sort()).toEqual([
        '业务明细(汇总).csv',
        '业务明细.csv',
      ])
      const details = names[decoded.findIndex((name) => name.endsWith('_业务明细.csv'))] as string
      return iconv.decode(Buffer.from(unzipSync(zip)[details] as Uint8Array), 'gbk')
    }),
  'legacy-trade-query-refunded': async () => {
    const { tradeNo } = await instantTrade()
    await refundBatch(tradeNo, '3.00')
    return text(legacy.tradeQuery({ trade_no: tradeNo }).url)
  },
  'open-trade-query': async () => post(open.tradeQuery({ out_trade_no: await pageTrade() })),
  'open-trade-query-certificates': async () => {
    // A second simulator, in certificate mode, and a client configured with its three files.
    const certified = await startSandbox({ certificates: true })
    try {
      const c = certified.credentials
      const client = createOpenClient({
        appId: c.appId,
        privateKey: c.appPrivateKey,
        appCert: c.certificates?.appCert as string,
        alipayPublicCert: c.certificates?.alipayPublicCert as string,
        alipayRootCert: c.certificates?.alipayRootCert as string,
        gateway: certified.gatewayUrl,
      })
      const no = orderNo()
      await fetch(
        client.pagePay(
          { out_trade_no: no, total_amount: '88.88', subject: 'cert' },
          { notifyUrl: NOTIFY, returnUrl: RETURN },
        ).url,
        { redirect: 'manual' },
      )
      await certified.admin.pay(no)
      const request = client.tradeQuery({ out_trade_no: no })
      return await fetch(certified.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: request.body,
      }).then((r) => r.text())
    } finally {
      await certified.close()
    }
  },
}

type Value = string | number | boolean | null | object

/** The format classes the corpus and the simulator must agree on, by field name. */
const FORMATS: Array<[RegExp, (value: Value) => string]> = [
  [
    /^(gmt_\w+|notify_time|timestamp|send_pay_date)$/,
    (v) => {
      const match = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,3})?$/.exec(String(v))
      return match ? `China time${match[1] ? ' with ms' : ''}` : `not a China timestamp: ${v}`
    },
  ],
  [
    /(_amount|_fee|^price|^discount)$/,
    (v) =>
      // alipay.trade.query's documented answer writes some amounts as JSON numbers, the official
      // SDKs' models declare them strings; the simulator sends strings, the kit reads both.
      /^-?\d+(\.\d{1,2})?$/.test(String(v)) ? 'yuan' : `not a yuan amount: ${v}`,
  ],
  [/^(is_total_fee_adjust|use_coupon)$/, (v) => (/^[TF]$/.test(String(v)) ? 'T/F' : `${v}`)],
  [
    /^(refund_id|flag_trade_locked|refund_flow_type|quantity|payment_type)$/,
    (v) => (/^\d+$/.test(String(v)) ? 'digits' : `${v}`),
  ],
  [/^(trade_status|refund_status)$/, (v) => (/^[A-Z_]+$/.test(String(v)) ? 'status' : `${v}`)],
  [
    /^(buyer_id|seller_id|buyer_user_id)$/,
    (v) => (/^2088\d{12}$/.test(String(v)) ? '2088…' : `${v}`),
  ],
  [/^trade_no$/, (v) => (/^\d{16,64}$/.test(String(v)) ? 'digits' : `${v}`)],
  [/^(notify_type|sign_type|version|is_success|code|msg|sub_code|exterface)$/, (v) => String(v)],
  [/^charset$/, (v) => String(v).toLowerCase()],
  [
    /^sub_msg$/,
    (v) => {
      const [, signString] = String(v).split('网关生成的验签字符串为：')
      if (signString === undefined) return 'text'
      return /&(?!amp;)/.test(signString) ? 'sign string with a bare &' : 'sign string, & as &amp;'
    },
  ],
  [/^method$/, (v) => String(v).replace(/^alipay\.trade\.\w+\.pay\.return$/, 'a pay return')],
  [
    /^fund_bill_list$/,
    (v) => {
      const list = typeof v === 'string' ? JSON.parse(v) : v
      return `${typeof v} of [${Object.keys((list as object[])[0] ?? {}).sort()}]`
    },
  ],
  [
    /^result_details$/,
    (v) =>
      String(v)
        .split('#')
        .map((entry) => {
          // A fee part ($…) comes only with contracts that refund fees: not compared.
          const [main = ''] = entry.split('$')
          const [, amount = '', result = ''] = main.split('^')
          return `trade^${/^\d+(\.\d{1,2})?$/.test(amount) ? 'yuan' : amount}^${result === 'SUCCESS' ? 'SUCCESS' : /^[A-Z_]+$/.test(result) ? 'CODE' : result}`
        })
        .join('#'),
  ],
]

function formatOf(name: string, value: Value): string | undefined {
  const rule = FORMATS.find(([pattern]) => pattern.test(name))
  return rule ? rule[1](value) : undefined
}

/** The exact text of an answer's member (the signature, base64, has slashes of its own). */
function memberText(answer: string, key: string): string {
  const start = answer.indexOf(`"${key}":`)
  const end = answer.lastIndexOf(',"sign"')
  return answer.slice(start, end > start ? end : undefined)
}

/** The members of an answer's `*_response` (or error_response), whether it is signed and how `/` is written. */
function answerFields(answer: string, method: string): Record<string, Value> {
  const body = JSON.parse(answer) as Record<string, Value>
  const key = 'error_response' in body ? 'error_response' : `${method.replace(/\./g, '_')}_response`
  const member = body[key]
  if (typeof member !== 'object' || member === null) throw new Error(`no ${key} in ${answer}`)
  // The top-level members in order: certificate mode puts alipay_cert_sn between response and sign.
  return {
    [`(members ${Object.keys(body).join(' ').replace(key, 'response')})`]: true,
    ...(member as Record<string, Value>),
    ...('sign' in body ? { '(signed)': true } : {}),
    ...(/(?<!\\)\//.test(memberText(answer, key)) ? { '(slashes unescaped)': true } : {}),
  }
}

/** A legacy XML answer: its shape (elements in order), then the leaves of `<response>`. */
function xmlAnswerFields(answer: string): Record<string, Value> {
  const body = answer.replace(/^<\?xml[^>]*\?>/, '')
  const top = [
    ...body.replace(/<response>[\s\S]*<\/response>/, '<response/>').matchAll(/<(\w+)[ >/]/g),
  ]
    .map((m) => m[1])
    .filter((name) => name !== 'param')
  const response = /<response>([\s\S]*)<\/response>/.exec(body)?.[1] ?? ''
  const leaves = Object.fromEntries(
    [...response.matchAll(/<(\w+)>([^<]*)<\/\1>/g)].map((m) => [m[1] as string, m[2] as string]),
  )
  return {
    [`(elements ${[...new Set(top)].join(' ')})`]: true,
    ...(/<param name=/.test(body) ? { '(request echoed)': true } : {}),
    ...leaves,
  }
}

/**
 * A bill's details file as fields: its frame lines (markers, totals, export time) by their
 * shape, then the first data row's cells by column name.
 */
function billFields(csv: string): Record<string, Value> {
  const lines = csv.split('\r\n').filter((line) => line !== '')
  const start = lines.findIndex((line) => line.includes('业务明细列表') && !line.includes('结束'))
  const header = (lines[start + 1] ?? '').split(',')
  const row = (lines[start + 2] ?? '').split(',')
  const frame = lines
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/\[[^\]]*\]/g, '[…]').replace(/-?\d+(\.\d+)?/g, 'N'))
  return {
    ...Object.fromEntries(frame.map((line) => [`(frame ${line})`, true])),
    ...Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])),
    '(cells end with a tab)': row.every((cell) => cell.endsWith('\t')),
  }
}

function fieldsOf(sample: ConformanceSample, message: Record<string, string> | string) {
  if (sample.kind === 'bill') return billFields(message as string)
  if (typeof message !== 'string') return message
  return sample.gateway === 'legacy'
    ? xmlAnswerFields(message)
    : answerFields(message, sample.method as string)
}

/** The sample's own fields, in the same shape. */
function sampleFields(sample: ConformanceSample): Record<string, Value> {
  if (sample.kind === 'bill') return billFields(sample.csv as string)
  if (sample.kind === 'answer')
    return sample.gateway === 'legacy'
      ? xmlAnswerFields(sample.answer as string)
      : answerFields(sample.answer as string, sample.method as string)
  return { ...sample.fields }
}

const samples = conformanceSamples()

describe('the simulator speaks the corpus’s formats', () => {
  it('has an event for every sample', () => {
    expect(samples.map((s) => s.simulator.event).filter((e) => !(e in EVENTS))).toEqual([])
  })

  it.each(samples.map((s) => [s.file, s] as const))(
    '%s: same fields, same formats',
    async (_file, sample) => {
      const produce = EVENTS[sample.simulator.event] as () => Promise<
        Record<string, string> | string
      >
      const ours = fieldsOf(sample, await produce())
      const theirs = sampleFields(sample)
      // Signatures are checked elsewhere (the corpus is re-signed with test keys).
      const optional = new Set([...sample.simulator.optional, 'sign', 'sign_type'])
      const names = (record: Record<string, Value>) =>
        Object.keys(record)
          .filter((name) => !optional.has(name))
          .sort()
      expect(names(ours), 'field names').toEqual(names(theirs))
      const formats = (record: Record<string, Value>) =>
        Object.fromEntries(
          Object.entries(record)
            .map(([name, value]) => [name, formatOf(name, value)] as const)
            .filter(([name, format]) => format !== undefined && name in ours && name in theirs),
        )
      expect(formats(ours), 'formats').toEqual(formats(theirs))
    },
  )
})
