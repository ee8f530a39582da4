import { z } from 'zod'
import { AlipayInputError } from '../shared/errors.js'
import {
  callbackUrl,
  optionalText,
  outTradeNo,
  parseInput,
  quantity,
  text,
  yuan,
  yuanOrZero,
} from '../shared/fields.js'
import type { LegacyConfig } from './config.js'
import { type LegacyRequest, signLegacyRequest } from './request.js'

/*
 * Typed builders for every legacy service of docs/protocol.md ("Legacy payment services"). Inputs use Alipay's own parameter names
 * (snake_case) so what you write is what is signed and sent; `extra` carries any other documented
 * parameter. Each builder validates, then signs.
 */

const extra = z.record(z.string(), z.string()).optional()

/** Fields every payment service shares. `token` comes from quick login and skips Alipay's login page. */
const paymentCommon = {
  out_trade_no: outTradeNo,
  subject: text(256),
  body: optionalText(1000),
  notify_url: callbackUrl,
  return_url: callbackUrl,
  show_url: callbackUrl.optional(),
  token: z.string().min(1).max(128).optional(),
  anti_phishing_key: z.string().optional(),
  exter_invoke_ip: z.string().optional(),
  extra_common_param: z.string().max(100).optional(),
  extra,
}

const logisticsType = z.enum(['EXPRESS', 'POST', 'EMS'], {
  message: 'must be EXPRESS, POST or EMS',
})
const logisticsPayment = z.enum(['SELLER_PAY', 'BUYER_PAY', 'BUYER_PAY_AFTER_RECEIVE'], {
  message: 'must be SELLER_PAY, BUYER_PAY or BUYER_PAY_AFTER_RECEIVE',
})

/** One logistics group (物流组): type, fee and who pays it. */
export const logisticsGroup = z.object({
  logistics_type: logisticsType,
  logistics_fee: yuanOrZero,
  logistics_payment: logisticsPayment,
})
export type LogisticsGroup = z.input<typeof logisticsGroup>

const receiver = {
  receive_name: optionalText(128),
  receive_address: optionalText(256),
  receive_zip: z
    .string()
    .regex(/^\d{6}$/, { message: 'must be a 6-digit postcode' })
    .optional(),
  receive_phone: optionalText(30),
  receive_mobile: z
    .string()
    .regex(/^1\d{10}$/, { message: 'must be an 11-digit mobile number' })
    .optional(),
}

const directPaySchema = z
  .object({
    ...paymentCommon,
    total_fee: yuan,
    /** When an unpaid trade closes, relative to its creation: 1m–15d, or 1c (today). */
    it_b_pay: z
      .string()
      .regex(/^([1-9]\d{0,4}[mhd]|1c)$/, {
        message: 'must be a relative time like "30m", "2h" or "1d", or "1c" for today',
      })
      .optional(),
    item_orders_info: z.string().optional(),
  })
  .strict()
const escrowSchema = z
  .object({ ...paymentCommon, ...receiver, price: yuan, quantity, logistics: logisticsGroup })
  .strict()
const dualSchema = z
  .object({
    ...paymentCommon,
    ...receiver,
    price: yuan,
    quantity,
    logistics: z
      .array(logisticsGroup, {
        message:
          'is required: at least one logistics group (logistics_type, logistics_fee, logistics_payment)',
      })
      .min(1, {
        message:
          'needs at least one logistics group (logistics_type, logistics_fee, logistics_payment)',
      })
      .max(3, { message: 'takes at most three logistics groups' }),
  })
  .strict()
const digitalGoodsSchema = z.object({ ...paymentCommon, price: yuan, quantity }).strict()
const donateSchema = z.object({ ...paymentCommon, total_fee: yuan }).strict()

export type DirectPayInput = z.input<typeof directPaySchema>
export type EscrowPayInput = z.input<typeof escrowSchema>
export type DualPayInput = z.input<typeof dualSchema>
export type DigitalGoodsPayInput = z.input<typeof digitalGoodsSchema>
export type DonatePayInput = z.input<typeof donateSchema>

type Common = z.output<z.ZodObject<typeof paymentCommon>>

function seller(config: LegacyConfig): Record<string, string | undefined> {
  return config.sellerEmail ? { seller_email: config.sellerEmail } : { seller_id: config.sellerId }
}

function commonParams(input: Common): Record<string, string | undefined> {
  const { extra: more, ...rest } = input
  return { ...rest, ...more }
}

function flattenLogistics(
  groups: readonly z.output<typeof logisticsGroup>[],
): Record<string, string> {
  const out: Record<string, string> = {}
  groups.forEach((group, index) => {
    const suffix = index === 0 ? '' : `_${index}`
    out[`logistics_type${suffix}`] = group.logistics_type
    out[`logistics_fee${suffix}`] = group.logistics_fee
    out[`logistics_payment${suffix}`] = group.logistics_payment
  })
  const types = groups.map((group) => group.logistics_type)
  if (new Set(types).size !== types.length) {
    throw new AlipayInputError('logistics', 'each logistics group needs a different logistics_type')
  }
  return out
}

/** 即时到账 create_direct_pay_by_user: instant payment to the seller. */
export function directPay(config: LegacyConfig, input: DirectPayInput): LegacyRequest {
  const data = parseInput(directPaySchema, input, 'create_direct_pay_by_user')
  return signLegacyRequest(config, 'create_direct_pay_by_user', {
    payment_type: '1',
    ...seller(config),
    ...commonParams(data),
  })
}

/** 担保交易 create_partner_trade_by_buyer: escrow; the money reaches the seller when the buyer confirms receipt. */
export function escrowPay(config: LegacyConfig, input: EscrowPayInput): LegacyRequest {
  const { logistics, ...data } = parseInput(escrowSchema, input, 'create_partner_trade_by_buyer')
  return signLegacyRequest(config, 'create_partner_trade_by_buyer', {
    payment_type: '1',
    ...seller(config),
    ...commonParams(data),
    ...flattenLogistics([logistics]),
  })
}

/** 标准双接口 trade_create_by_buyer: the buyer chooses escrow or instant at the cashier. Needs ≥ 1 logistics group. */
export function dualPay(config: LegacyConfig, input: DualPayInput): LegacyRequest {
  const { logistics, ...data } = parseInput(dualSchema, input, 'trade_create_by_buyer')
  return signLegacyRequest(config, 'trade_create_by_buyer', {
    payment_type: '1',
    ...seller(config),
    ...commonParams(data),
    ...flattenLogistics(logistics),
  })
}

/** 虚拟物品 create_digital_goods_trade_p: virtual goods, no logistics. */
export function digitalGoodsPay(config: LegacyConfig, input: DigitalGoodsPayInput): LegacyRequest {
  const data = parseInput(digitalGoodsSchema, input, 'create_digital_goods_trade_p')
  return signLegacyRequest(config, 'create_digital_goods_trade_p', {
    payment_type: '1',
    ...seller(config),
    ...commonParams(data),
  })
}

/** 捐赠 create_donate_trade_p: a donation (payment_type 4). */
export function donatePay(config: LegacyConfig, input: DonatePayInput): LegacyRequest {
  const data = parseInput(donateSchema, input, 'create_donate_trade_p')
  return signLegacyRequest(config, 'create_donate_trade_p', {
    payment_type: '4',
    ...seller(config),
    ...commonParams(data),
  })
}

const quickLoginSchema = z
  .object({
    return_url: callbackUrl,
    anti_phishing_key: z.string().optional(),
    exter_invoke_ip: z.string().optional(),
    extra,
  })
  .strict()
export type QuickLoginInput = z.input<typeof quickLoginSchema>

/** 快捷登录 alipay.auth.authorize with target_service=user.auth.quick.login. The answer comes back to return_url (GET). */
export function quickLogin(config: LegacyConfig, input: QuickLoginInput): LegacyRequest {
  const { extra: more, ...data } = parseInput(quickLoginSchema, input, 'alipay.auth.authorize')
  return signLegacyRequest(config, 'alipay.auth.authorize', {
    target_service: 'user.auth.quick.login',
    ...data,
    ...more,
  })
}

const addressQuerySchema = z
  .object({
    token: z.string().min(1, { message: 'is required: the token from quick login' }),
    return_url: callbackUrl,
    extra,
  })
  .strict()
export type AddressQueryInput = z.input<typeof addressQuerySchema>

/** 物流地址查询 user.logistics.address.query: shows the buyer's saved addresses; the choice is POSTed to return_url. */
export function addressQuery(config: LegacyConfig, input: AddressQueryInput): LegacyRequest {
  const { extra: more, ...data } = parseInput(
    addressQuerySchema,
    input,
    'user.logistics.address.query',
  )
  return signLegacyRequest(config, 'user.logistics.address.query', { ...data, ...more })
}

/** query_timestamp: asks for an anti-phishing key (answered as XML with `encrypt_key`). */
export function queryTimestamp(config: LegacyConfig): LegacyRequest {
  return signLegacyRequest(config, 'query_timestamp', {})
}

const tradeQuerySchema = z
  .object({
    out_trade_no: outTradeNo.optional(),
    trade_no: z
      .string()
      .regex(/^\d{16,64}$/)
      .optional(),
  })
  .strict()
  .refine((value) => value.out_trade_no !== undefined || value.trade_no !== undefined, {
    message: 'give out_trade_no or trade_no',
    path: ['out_trade_no'],
  })

/** single_trade_query: a trade's current status, answered as XML. */
export function tradeQuery(
  config: LegacyConfig,
  input: z.input<typeof tradeQuerySchema>,
): LegacyRequest {
  return signLegacyRequest(
    config,
    'single_trade_query',
    parseInput(tradeQuerySchema, input, 'single_trade_query'),
  )
}

const refundDetail = z.object({
  trade_no: z
    .string()
    .regex(/^\d{16,64}$/, { message: 'must be the Alipay trade number (digits)' }),
  amount: yuan,
  reason: z
    .string()
    .min(1)
    .max(256)
    .regex(/^[^^|$#]*$/, { message: 'must not contain ^ | $ or #, which separate refund details' }),
})

const refundSchema = z
  .object({
    batch_no: z.string().regex(/^\d{8}[A-Za-z0-9]{3,24}$/, {
      message:
        'must start with the date (yyyyMMdd) followed by 3–24 letters or digits, unique per refund batch',
    }),
    refund_date: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, {
      message: 'must be "yyyy-MM-dd HH:mm:ss" (China time)',
    }),
    details: z
      .array(refundDetail)
      .min(1, { message: 'needs at least one refund detail' })
      .max(1000),
    notify_url: callbackUrl,
  })
  .strict()
export type RefundInput = z.input<typeof refundSchema>

function refundParams(input: z.output<typeof refundSchema>): Record<string, string> {
  return {
    batch_no: input.batch_no,
    refund_date: input.refund_date,
    batch_num: String(input.details.length),
    detail_data: input.details
      .map((detail) => `${detail.trade_no}^${detail.amount}^${detail.reason}`)
      .join('#'),
    notify_url: input.notify_url,
  }
}

/** refund_fastpay_by_platform_pwd: a refund the seller confirms with the payment password on Alipay's page. */
export function refundWithPassword(config: LegacyConfig, input: RefundInput): LegacyRequest {
  const data = parseInput(refundSchema, input, 'refund_fastpay_by_platform_pwd')
  return signLegacyRequest(config, 'refund_fastpay_by_platform_pwd', {
    seller_user_id: config.sellerId,
    ...refundParams(data),
  })
}

/** refund_fastpay_by_platform_nopwd: a server-to-server refund (needs that service in the contract). */
export function refundWithoutPassword(config: LegacyConfig, input: RefundInput): LegacyRequest {
  const data = parseInput(refundSchema, input, 'refund_fastpay_by_platform_nopwd')
  return signLegacyRequest(config, 'refund_fastpay_by_platform_nopwd', refundParams(data))
}

const closeTradeSchema = z
  .object({
    trade_no: z
      .string()
      .regex(/^\d{16,64}$/, { message: 'must be the Alipay trade number (digits)' })
      .optional(),
    out_order_no: outTradeNo.optional(),
  })
  .strict()
  .refine((value) => value.trade_no !== undefined || value.out_order_no !== undefined, {
    message: 'give out_order_no (your out_trade_no) or trade_no',
    path: ['out_order_no'],
  })
export type CloseTradeInput = z.input<typeof closeTradeSchema>

/** close_trade: closes an unpaid trade (WAIT_BUYER_PAY → TRADE_CLOSED); answered as XML. */
export function closeTrade(config: LegacyConfig, input: CloseTradeInput): LegacyRequest {
  return signLegacyRequest(
    config,
    'close_trade',
    parseInput(closeTradeSchema, input, 'close_trade'),
  )
}

const sendGoodsSchema = z
  .object({
    trade_no: z
      .string()
      .regex(/^\d{16,64}$/, { message: 'must be the Alipay trade number (digits)' }),
    logistics_name: text(64),
    invoice_no: z.string().max(64).optional(),
    transport_type: logisticsType,
  })
  .strict()
export type SendGoodsInput = z.input<typeof sendGoodsSchema>

/** send_goods_confirm_by_platform: the seller ships an escrow trade (WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS). */
export function sendGoods(config: LegacyConfig, input: SendGoodsInput): LegacyRequest {
  return signLegacyRequest(
    config,
    'send_goods_confirm_by_platform',
    parseInput(sendGoodsSchema, input, 'send_goods_confirm_by_platform'),
  )
}
