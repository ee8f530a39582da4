import { AlipayKitError } from '../shared/errors.js'

/*
 * The trade bill's details file (业务明细), decoded from GBK: `#` frame lines, a header row after
 * the 业务明细列表 marker, a row per payment (业务类型 交易) and per refund (退款), the end marker and
 * the totals (docs/protocol.md, "The daily bill"; the columns as docs/sources.md [BILL] gives
 * them). Columns are found by name, so a column Alipay adds later does not shift the others.
 */

/** One line of the bill: a payment or a refund completed that day. */
export interface TradeBillLine {
  readonly tradeNo: string
  readonly outTradeNo: string
  /** 交易 (a payment), 退款 (a refund), or another 业务类型 as written. */
  readonly kind: 'payment' | 'refund' | (string & {})
  readonly subject: string
  /** 完成时间: when it completed, China time (yyyy-MM-dd HH:mm:ss). */
  readonly completedAt: string
  /** 订单金额（元）, in fen. */
  readonly orderFen: number
  /** 商家实收（元）, in fen: positive for a payment, negative for a refund. */
  readonly receivedFen: number
  /** 退款批次号/请求号: the refund's request number (out_request_no), for a refund. */
  readonly refundRequestNo: string | undefined
}

export interface TradeBill {
  /** The account the bill is of (#账号：[…]). */
  readonly account: string | undefined
  readonly lines: readonly TradeBillLine[]
}

const NEEDED = {
  tradeNo: '支付宝交易号',
  outTradeNo: '商户订单号',
  kind: '业务类型',
  subject: '商品名称',
  completedAt: '完成时间',
  order: '订单金额（元）',
  received: '商家实收（元）',
  refundRequestNo: '退款批次号/请求号',
} as const

const KINDS: Readonly<Record<string, string>> = { 交易: 'payment', 退款: 'refund' }

function malformed(what: string): AlipayKitError {
  return new AlipayKitError(
    'BILL_MALFORMED',
    `The bill cannot be read: ${what}. Nothing was matched; download the bill again`,
  )
}

/** One CSV row: commas outside quotes split, `""` is a quote; each cell trimmed of tabs and spaces. */
function cells(line: string): string[] {
  const out: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"'
        i++
      } else if (c === '"') quoted = false
      else current += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      out.push(current.trim())
      current = ''
    } else current += c
  }
  out.push(current.trim())
  return out
}

/** A signed yuan amount of the bill ("12.30", "-3.00") in fen, exactly. */
function signedFen(text: string, column: string, row: number): number {
  const match = /^(-?)(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) throw malformed(`row ${row}: ${column} is "${text}", not an amount`)
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'))
  return match[1] ? -fen : fen
}

/** The totals line's count and amount, e.g. `#交易合计：3笔，商家实收共30.00元`. */
function totals(
  lines: readonly string[],
  label: string,
): { count: number; fen: number } | undefined {
  const line = lines.find((l) => l.startsWith(`#${label}：`))
  const match = line ? /：(\d+)笔，[^共]*共(-?[\d.]+)元/.exec(line) : null
  if (!match) return undefined
  return { count: Number(match[1]), fen: signedFen(match[2] as string, label, 0) }
}

/**
 * Reads the details file of a trade bill (decoded text). Throws BILL_MALFORMED, naming what is
 * wrong, for a file without its markers or columns, a row that does not fit, or lines that do
 * not add up to the file's own totals (a truncated download).
 *
 * @example
 * const bill = parseTradeBill(iconv.decode(csvBytes, 'gbk'))
 * for (const line of bill.lines) console.log(line.outTradeNo, line.kind, line.receivedFen)
 */
export function parseTradeBill(text: string): TradeBill {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  const start = lines.findIndex(
    (l) => l.startsWith('#') && l.includes('业务明细列表') && !l.includes('结束'),
  )
  if (start < 0) throw malformed('no 业务明细列表 marker (is this the details file, 业务明细.csv?)')
  const end = lines.findIndex(
    (l, i) => i > start && l.startsWith('#') && l.includes('业务明细列表结束'),
  )
  if (end < 0) throw malformed('no 业务明细列表结束 marker: the file is cut short')
  const header = cells(lines[start + 1] ?? '')
  const index = {} as Record<keyof typeof NEEDED, number>
  const missing: string[] = []
  for (const [key, name] of Object.entries(NEEDED) as Array<[keyof typeof NEEDED, string]>) {
    index[key] = header.indexOf(name)
    if (index[key] < 0) missing.push(name)
  }
  if (missing.length > 0) throw malformed(`the header has no column ${missing.join(', ')}`)
  const out: TradeBillLine[] = []
  for (let i = start + 2; i < end; i++) {
    const raw = lines[i] as string
    if (raw.trim() === '') continue
    const row = cells(raw)
    if (row.length < header.length)
      throw malformed(`row ${i + 1} has ${row.length} cells where the header has ${header.length}`)
    const at = (key: keyof typeof NEEDED) => row[index[key]] as string
    const kind = at('kind')
    out.push({
      tradeNo: at('tradeNo'),
      outTradeNo: at('outTradeNo'),
      kind: KINDS[kind] ?? kind,
      subject: at('subject'),
      completedAt: at('completedAt'),
      orderFen: signedFen(at('order'), NEEDED.order, i + 1),
      receivedFen: signedFen(at('received'), NEEDED.received, i + 1),
      refundRequestNo: at('refundRequestNo') || undefined,
    })
  }
  const tail = lines.slice(end + 1)
  for (const [label, kind, what] of [
    ['交易合计', 'payment', 'payments'],
    ['退款合计', 'refund', 'refunds'],
  ] as const) {
    const total = totals(tail, label)
    const rows = out.filter((l) => l.kind === kind)
    const fen = rows.reduce((sum, l) => sum + l.receivedFen, 0)
    if (total && (total.count !== rows.length || total.fen !== fen))
      throw malformed(
        `the ${what} do not add up to the file's total (${total.count} lines): it is incomplete`,
      )
  }
  const account = /^#账号：\[(.*)\]/.exec(lines.find((l) => l.startsWith('#账号')) ?? '')?.[1]
  return { account, lines: out }
}
