import iconv from 'iconv-lite'
import { chargedFen, type Trade, yuan } from '../trades.js'
import { zipFiles } from './zip.js'

/*
 * The Open Platform's trade bill (bill_type=trade) for one day, China time: a zip of two GBK CSV
 * files, 业务明细 (a line per payment and per refund) and 业务明细(汇总), each framed by `#`
 * lines. The columns, the markers and the summary lines are those integrators' parsers of real
 * bills read (docs/sources.md [BILL]; docs/protocol.md, "The daily bill"); Alipay publishes no
 * sample file. Cells end with a tab, as in real bills.
 */

export const DETAIL_COLUMNS = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
] as const

const SUMMARY_COLUMNS = [
  '门店编号',
  '门店名称',
  '交易订单总笔数',
  '退款订单总笔数',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '卡消费金额（元）',
  '服务费（元）',
  '分润（元）',
  '实收净额（元）',
]

const CHINA_MS = 8 * 3600_000

/** The China date (yyyy-MM-dd) of a moment. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA_MS).toISOString().slice(0, 10)
}

/** yyyy-MM-dd HH:mm:ss, China time. */
function chinaTime(ms: number): string {
  return new Date(ms + CHINA_MS).toISOString().slice(0, 19).replace('T', ' ')
}

/** [2026年12月01日 00:00:00], as the bill's frame lines write times. */
function framed(ms: number): string {
  const t = chinaTime(ms)
  return `[${t.slice(0, 4)}年${t.slice(5, 7)}月${t.slice(8, 10)}日 ${t.slice(11)}]`
}

/** A cell: quoted only when it must be (a comma or a quote in a subject), then a tab. */
function cell(value: string): string {
  const quoted = /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
  return `${quoted}\t`
}

const minus = (fen: number) => (fen === 0 ? '0.00' : `-${yuan(fen)}`)

/**
 * The columns after 订单金额: 商家实收, the discounts and coupons (none here), 退款批次号/请求号,
 * 服务费 and 分润 (none), 备注.
 */
const amounts = (received: string, refundRequestNo: string) => [
  received,
  '0.00',
  '0.00',
  '0.00',
  '0.00',
  '0.00',
  '',
  '0.00',
  '0.00',
  refundRequestNo,
  '0.00',
  '0.00',
  '',
]

/** The day's lines: every payment and every refund completed that day, in time order. */
function detailLines(
  trades: readonly Trade[],
  day: string,
): { lines: string[]; paid: number; paidFen: number; refunds: number; refundFen: number } {
  const rows: Array<{ at: number; cells: string[] }> = []
  let paid = 0
  let paidFen = 0
  let refunds = 0
  let refundFen = 0
  for (const trade of trades) {
    if (trade.gateway !== 'open') continue
    const base = (kind: string, at: number) => [
      trade.tradeNo,
      trade.outTradeNo,
      kind,
      trade.subject,
      chinaTime(trade.createdAt),
      chinaTime(at),
      '',
      '',
      '',
      '',
      trade.buyer ? trade.buyer.email.replace(/^(.{2}).*(@.*)$/, '$1***$2') : '',
      yuan(trade.totalFen),
    ]
    if (trade.paidAt !== undefined && chinaDate(trade.paidAt) === day) {
      const charged = chargedFen(trade)
      paid++
      paidFen += charged
      rows.push({
        at: trade.paidAt,
        cells: [...base('交易', trade.paidAt), ...amounts(yuan(charged), '')],
      })
    }
    for (const refund of trade.refunds) {
      if (chinaDate(refund.at) !== day) continue
      refunds++
      refundFen += refund.amountFen
      rows.push({
        at: refund.at,
        cells: [...base('退款', refund.at), ...amounts(minus(refund.amountFen), refund.id)],
      })
    }
  }
  rows.sort((a, b) => a.at - b.at)
  return {
    lines: rows.map((row) => row.cells.map(cell).join(',')),
    paid,
    paidFen,
    refunds,
    refundFen,
  }
}

/** The bill of `day` (yyyy-MM-dd, China time) for these trades, as the archive Alipay serves. */
export function tradeBillZip(input: {
  readonly trades: readonly Trade[]
  readonly day: string
  readonly account: string
  readonly now: number
}): Buffer {
  const start = Date.parse(`${input.day}T00:00:00+08:00`)
  const end = start + 86_400_000
  const head = (title: string) => [
    `#支付宝${title}查询`,
    `#账号：[${input.account}]`,
    `#起始日期：${framed(start)}   终止日期：${framed(end)}`,
  ]
  const detail = detailLines(input.trades, input.day)
  const detailFile = [
    ...head('业务明细'),
    '#-----------------------------------------业务明细列表----------------------------------------',
    DETAIL_COLUMNS.join(','),
    ...detail.lines,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${detail.paid}笔，商家实收共${yuan(detail.paidFen)}元，商家优惠共0.00元`,
    `#退款合计：${detail.refunds}笔，商家实收退款共${minus(detail.refundFen)}元，商家优惠退款共0.00元`,
    `#导出时间：${framed(input.now)}`,
  ]
  const net = detail.paidFen - detail.refundFen
  const summaryFile = [
    ...head('业务汇总'),
    '#-----------------------------------------业务汇总列表----------------------------------------',
    SUMMARY_COLUMNS.join(','),
    [
      '合计',
      '',
      String(detail.paid),
      String(detail.refunds),
      yuan(detail.paidFen),
      net < 0 ? minus(-net) : yuan(net),
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      '0.00',
      net < 0 ? minus(-net) : yuan(net),
    ].join(','),
    '#-----------------------------------------业务汇总列表结束------------------------------------',
    `#导出时间：${framed(input.now)}`,
  ]
  const stem = `${input.account}_${input.day.replace(/-/g, '')}`
  const gbk = (text: string) => iconv.encode(text, 'gbk')
  return zipFiles([
    { name: gbk(`${stem}_业务明细.csv`), data: gbk(`${detailFile.join('\r\n')}\r\n`) },
    { name: gbk(`${stem}_业务明细(汇总).csv`), data: gbk(`${summaryFile.join('\r\n')}\r\n`) },
  ])
}
