import type { AlipayPayName } from '@alipay-kit/client'
import type { Charset } from '../http/form.js'
import type { Simulator } from '../simulator.js'
import { relativeMs, type Trade } from '../trades.js'
import { checkAmount, checkOutTradeNo, checkText, checkUrl, GatewayError } from './validate.js'

type LegacyPayService = AlipayPayName<'legacy'>

/**
 * What Alipay checks of each legacy payment service: the payment_type it takes and how many
 * logistics groups (docs/protocol.md, "Legacy payment services"). A payment service of the
 * registry without its entry here is a type error.
 */
const LEGACY_PAYMENTS: {
  readonly [S in LegacyPayService]: {
    readonly paymentTypes: readonly string[]
    readonly logisticsGroups: { readonly min: number; readonly max: number }
  }
} = {
  create_direct_pay_by_user: { paymentTypes: ['1'], logisticsGroups: { min: 0, max: 0 } },
  create_partner_trade_by_buyer: { paymentTypes: ['1'], logisticsGroups: { min: 1, max: 1 } },
  trade_create_by_buyer: { paymentTypes: ['1'], logisticsGroups: { min: 1, max: 3 } },
  create_digital_goods_trade_p: { paymentTypes: ['1'], logisticsGroups: { min: 0, max: 0 } },
  create_donate_trade_p: { paymentTypes: ['4', '1'], logisticsGroups: { min: 0, max: 0 } },
}

/** The legacy services that open a trade. */
export const LEGACY_PAYMENT_SERVICES = Object.keys(LEGACY_PAYMENTS) as readonly LegacyPayService[]

export function isLegacyPaymentService(service: string): service is LegacyPayService {
  return Object.hasOwn(LEGACY_PAYMENTS, service)
}

const LOGISTICS_TYPES = ['EXPRESS', 'POST', 'EMS']
const LOGISTICS_PAYMENTS = ['SELLER_PAY', 'BUYER_PAY', 'BUYER_PAY_AFTER_RECEIVE']

/** The logistics groups of an escrow or dual request: (type, fee, payment) with suffixes '', _1, _2. */
function logisticsFen(params: ReadonlyMap<string, string>, service: LegacyPayService): number {
  let extra = 0
  let groups = 0
  for (const suffix of ['', '_1', '_2']) {
    const type = params.get(`logistics_type${suffix}`)
    const fee = params.get(`logistics_fee${suffix}`)
    const payment = params.get(`logistics_payment${suffix}`)
    if (type === undefined && fee === undefined && payment === undefined) continue
    if (
      !type ||
      !LOGISTICS_TYPES.includes(type) ||
      !payment ||
      !LOGISTICS_PAYMENTS.includes(payment) ||
      fee === undefined
    ) {
      throw new GatewayError(
        'ILLEGAL_LOGISTICS_FORMAT',
        `logistics group "${suffix || 'first'}" needs logistics_type (EXPRESS/POST/EMS), logistics_fee and logistics_payment`,
      )
    }
    const feeFen = checkAmount(fee, `logistics_fee${suffix}`, true)
    // The buyer's share of the first group is part of what the buyer pays.
    if (groups === 0 && payment !== 'SELLER_PAY') extra = feeFen
    groups++
  }
  const { min, max } = LEGACY_PAYMENTS[service].logisticsGroups
  if (groups < min)
    throw new GatewayError(
      'ILLEGAL_LOGISTICS_FORMAT',
      `${service} needs at least one logistics group`,
    )
  if (groups > max)
    throw new GatewayError(
      'ILLEGAL_LOGISTICS_FORMAT',
      `${service} takes at most ${max} logistics group${max === 1 ? '' : 's'}`,
    )
  return extra
}

/**
 * Creates the trade a payment request describes, or finds the one it repeats: the same
 * out_trade_no with other data is TRADE_DATA_MATCH_ERROR, and a paid or closed one
 * TRADE_NOT_ALLOWED_PAY.
 */
export function openLegacyTrade(
  sim: Simulator,
  service: LegacyPayService,
  params: ReadonlyMap<string, string>,
  charset: Charset,
): Trade {
  const outTradeNo = checkOutTradeNo(params.get('out_trade_no'))
  const subject = checkText(params.get('subject'), 'subject', 256)
  const paymentType = params.get('payment_type')
  const expectedType = LEGACY_PAYMENTS[service].paymentTypes
  if (!paymentType || !expectedType.includes(paymentType))
    throw new GatewayError('ILLEGAL_ARGUMENT', `payment_type must be ${expectedType[0]}`)

  const sellerId = params.get('seller_id') ?? params.get('seller_user_id')
  const sellerEmail = params.get('seller_email') ?? params.get('seller_account_name')
  if (sellerId === undefined && sellerEmail === undefined)
    throw new GatewayError('ILLEGAL_ARGUMENT', 'seller_id or seller_email is required')
  if (
    (sellerId !== undefined && sellerId !== sim.merchant.partner) ||
    (sellerId === undefined && sellerEmail !== sim.merchant.sellerEmail)
  ) {
    throw new GatewayError(
      'SELLER_NOT_EXIST',
      `seller ${sellerId ?? sellerEmail} is not a contracted Alipay account of this partner`,
    )
  }

  const escrowLike = LEGACY_PAYMENTS[service].logisticsGroups.min > 0
  let totalFen: number
  const price = params.get('price')
  const quantity = params.get('quantity')
  if (escrowLike || (params.get('total_fee') === undefined && price !== undefined)) {
    const priceFen = checkAmount(price, 'price')
    if (!quantity || !/^[1-9]\d{0,5}$/.test(quantity))
      throw new GatewayError('ILLEGAL_ARGUMENT', 'quantity must be a whole number from 1 to 999999')
    totalFen = priceFen * Number(quantity) + (escrowLike ? logisticsFen(params, service) : 0)
  } else {
    totalFen = checkAmount(params.get('total_fee'), 'total_fee')
  }

  const notifyUrl = checkUrl(params.get('notify_url'), 'notify_url', false)
  const returnUrl = checkUrl(params.get('return_url'), 'return_url', false)
  const showUrl = checkUrl(params.get('show_url'), 'show_url', false)
  const fingerprint = [service, totalFen, subject, sellerId ?? sellerEmail, price, quantity].join(
    '|',
  )

  const existing = sim.findByOutTradeNo(outTradeNo, 'legacy')
  if (existing) {
    if (existing.fingerprint !== fingerprint)
      throw new GatewayError(
        'TRADE_DATA_MATCH_ERROR',
        `out_trade_no ${outTradeNo} was first requested with other data`,
      )
    if (existing.tradeStatus !== 'WAIT_BUYER_PAY')
      throw new GatewayError(
        'TRADE_NOT_ALLOWED_PAY',
        `trade ${outTradeNo} is ${existing.tradeStatus}`,
      )
    return existing
  }
  const trade = sim.createTrade({
    gateway: 'legacy',
    service,
    outTradeNo,
    subject,
    body: params.get('body'),
    totalFen,
    price,
    quantity,
    charset,
    notifyUrl,
    returnUrl,
    showUrl,
    passback: params.get('extra_common_param'),
    fingerprint,
    expiresAt: itBPay(params.get('it_b_pay'), sim.now()),
  })
  // Escrow and dual trades announce themselves: the merchant hears WAIT_BUYER_PAY (交易创建).
  if (escrowLike) sim.notify(trade)
  return trade
}

/** it_b_pay: how long the trade stays payable from its creation (1m–15d, or 1c for today). */
function itBPay(text: string | undefined, now: number): number | undefined {
  if (text === undefined) return undefined
  const ms = relativeMs(text, now)
  if (ms === undefined || ms > 15 * 86_400_000)
    throw new GatewayError('ILLEGAL_ARGUMENT', `it_b_pay "${text}" must be 1m to 15d, or 1c`)
  return now + ms
}
