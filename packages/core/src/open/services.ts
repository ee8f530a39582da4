import { z } from 'zod'
import { callbackUrl, outTradeNo, parseInput, text, yuan } from '../shared/fields.js'
import type { OpenConfig } from './config.js'
import { type OpenRequest, signOpenRequest } from './request.js'

/*
 * Builders for the Open Platform methods the kit uses. Business fields go in `biz_content` with
 * Alipay's snake_case names, validated where the kit knows the rule and otherwise passed through
 * exactly as given.
 */

const tradeRef = z
  .looseObject({
    out_trade_no: outTradeNo.optional(),
    trade_no: z.string().min(1).max(64).optional(),
  })
  .refine((value) => value.out_trade_no !== undefined || value.trade_no !== undefined, {
    message: 'give out_trade_no or trade_no',
    path: ['out_trade_no'],
  })

/** An auth code, refresh token or access token. */
const shortToken = z.string().min(1).max(128)

/** A relative expiry as Alipay writes it: minutes, hours or days (1m–15d), or `1c` (today, until midnight). */
const relativeExpiry = z.string().regex(/^([1-9]\d{0,4}[mhd]|1c)$/, {
  message:
    'must be a relative time like "15m", "2h" or "1d" (m, h, d; no decimals), or "1c" for today',
})

/** An absolute expiry: China time, yyyy-MM-dd HH:mm:ss (chinaTimestamp). */
const absoluteExpiry = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, {
  message: 'must be China time like "2026-12-01 12:30:00" (chinaTimestamp)',
})

const payBiz = z.looseObject({
  out_trade_no: outTradeNo,
  total_amount: yuan,
  subject: text(256),
  /** When an unpaid trade closes (absolute, China time). */
  time_expire: absoluteExpiry.optional(),
  /** The same, relative to the trade's creation. */
  timeout_express: relativeExpiry.optional(),
})

export interface PayOptions {
  readonly notifyUrl: string
  readonly returnUrl?: string
  readonly now?: Date
}

function callbacks(options: PayOptions, method: string): { notifyUrl: string; returnUrl?: string } {
  parseInput(
    z.object({ notify_url: callbackUrl, return_url: callbackUrl.optional() }),
    { notify_url: options.notifyUrl, return_url: options.returnUrl },
    method,
  )
  return options.returnUrl === undefined
    ? { notifyUrl: options.notifyUrl }
    : { notifyUrl: options.notifyUrl, returnUrl: options.returnUrl }
}

export type PagePayBiz = z.input<typeof payBiz> & { product_code?: string }

function pay(
  config: OpenConfig,
  method: string,
  productCode: string,
  biz: PagePayBiz,
  options: PayOptions,
): OpenRequest {
  const data = parseInput(payBiz, biz, method)
  return signOpenRequest(config, method, {
    bizContent: { ...data, product_code: biz.product_code ?? productCode },
    ...callbacks(options, method),
    ...(options.now ? { now: options.now } : {}),
  })
}

/**
 * Page pay's QR code in the merchant's own page (docs/protocol.md, "QR code"): `qr_pay_mode` 0, 1
 * or 3 (Alipay's order code in an iframe at least 600×300, 300×600 or 75×75 px), 4 (only the code,
 * `qrcode_width` px wide), or 2 (the code on Alipay's own page, the default cashier).
 */
const pageQr = z
  .looseObject({
    qr_pay_mode: z
      .enum(['0', '1', '2', '3', '4'], { message: 'must be "0", "1", "2", "3" or "4"' })
      .optional(),
    qrcode_width: z.coerce
      .number({ message: 'must be a whole number of px' })
      .int({ message: 'must be a whole number of px' })
      .min(1)
      .max(2000)
      .optional(),
  })
  .refine((biz) => biz.qrcode_width === undefined || biz.qr_pay_mode === '4', {
    message: 'applies only with qr_pay_mode "4" (a code of your own width)',
    path: ['qrcode_width'],
  })
  .refine((biz) => biz.qr_pay_mode !== '4' || biz.qrcode_width !== undefined, {
    message: 'is required with qr_pay_mode "4": the code\'s width in px',
    path: ['qrcode_width'],
  })

/** alipay.trade.page.pay: the desktop cashier. Open `url` or submit `toForm()` in the buyer's browser. */
export function pagePay(
  config: OpenConfig,
  biz: PagePayBiz & { qr_pay_mode?: '0' | '1' | '2' | '3' | '4'; qrcode_width?: number | string },
  options: PayOptions,
): OpenRequest {
  parseInput(pageQr, biz, 'alipay.trade.page.pay')
  return pay(config, 'alipay.trade.page.pay', 'FAST_INSTANT_TRADE_PAY', biz, options)
}

/** alipay.trade.wap.pay: the mobile-web (H5) cashier. */
export function wapPay(config: OpenConfig, biz: PagePayBiz, options: PayOptions): OpenRequest {
  return pay(config, 'alipay.trade.wap.pay', 'QUICK_WAP_WAY', biz, options)
}

/** alipay.trade.app.pay: the signed order string handed to the Alipay app SDK. */
export function appPayOrderString(
  config: OpenConfig,
  biz: PagePayBiz,
  options: PayOptions,
): string {
  return pay(config, 'alipay.trade.app.pay', 'QUICK_MSECURITY_PAY', biz, options).body
}

const precreateBiz = payBiz.and(
  z.looseObject({
    product_code: z.string().min(1).max(64).optional(),
    qr_code_timeout_express: relativeExpiry.optional(),
    timeout_express: relativeExpiry.optional(),
  }),
)
export type PrecreateBiz = z.input<typeof precreateBiz>

/**
 * alipay.trade.precreate (当面付 扫码支付): asks Alipay for a QR code the buyer scans with the
 * Alipay app. POST `body` to the gateway server-to-server; the verified answer's `qr_code` is the
 * code's content (valid two hours at most, whatever the expiry asked; docs/protocol.md, "QR code").
 */
export function precreate(
  config: OpenConfig,
  biz: PrecreateBiz,
  options: { readonly notifyUrl: string; readonly now?: Date },
): OpenRequest {
  const method = 'alipay.trade.precreate'
  const data = parseInput(precreateBiz, biz, method)
  return signOpenRequest(config, method, {
    bizContent: { ...data, product_code: data.product_code ?? 'FACE_TO_FACE_PAYMENT' },
    ...callbacks({ notifyUrl: options.notifyUrl }, method),
    ...(options.now ? { now: options.now } : {}),
  })
}

export type TradeRef = z.input<typeof tradeRef>

/** alipay.trade.query: a trade's status. POST `body` to the gateway; verify the answer with verifyOpenResponse. */
export function tradeQuery(config: OpenConfig, biz: TradeRef): OpenRequest {
  return signOpenRequest(config, 'alipay.trade.query', {
    bizContent: parseInput(tradeRef, biz, 'alipay.trade.query'),
  })
}

const refundBiz = tradeRef.and(
  z.looseObject({
    refund_amount: yuan,
    out_request_no: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, {
        message: 'must be 1–64 letters, digits, "_" or "-", unique per partial refund',
      })
      .optional(),
    refund_reason: z.string().max(256).optional(),
  }),
)
export type RefundBiz = z.input<typeof refundBiz>

/** alipay.trade.refund: refunds all or part of a paid trade. Use out_request_no for partial refunds. */
export function tradeRefund(config: OpenConfig, biz: RefundBiz): OpenRequest {
  return signOpenRequest(config, 'alipay.trade.refund', {
    bizContent: parseInput(refundBiz, biz, 'alipay.trade.refund'),
  })
}

const refundQueryBiz = tradeRef.and(z.looseObject({ out_request_no: z.string().min(1).max(64) }))

/** alipay.trade.fastpay.refund.query: the state of one refund request. */
export function refundQuery(config: OpenConfig, biz: z.input<typeof refundQueryBiz>): OpenRequest {
  return signOpenRequest(config, 'alipay.trade.fastpay.refund.query', {
    bizContent: parseInput(refundQueryBiz, biz, 'alipay.trade.fastpay.refund.query'),
  })
}

/** alipay.trade.close: closes an unpaid trade. */
export function tradeClose(config: OpenConfig, biz: TradeRef): OpenRequest {
  return signOpenRequest(config, 'alipay.trade.close', {
    bizContent: parseInput(tradeRef, biz, 'alipay.trade.close'),
  })
}

const billBiz = z
  .object({
    /** trade: the acquiring trades' bill; signcustomer: the account's money movements. */
    bill_type: z.enum(['trade', 'signcustomer']),
    /** A day (yyyy-MM-dd, China time, before today: bills are T+1) or a month (yyyy-MM). */
    bill_date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, {
      message: 'must be a day like "2026-12-01" or a month like "2026-11"',
    }),
  })
  .strict()

/**
 * alipay.data.dataservice.bill.downloadurl.query: where to download a bill (`bill_download_url`,
 * good for 30 seconds); a zip of GBK CSV files (parseTradeBill reads the trade bill's details).
 * `isp.bill_not_exist` when there is none (docs/protocol.md, "The daily bill").
 */
export function billDownloadUrlQuery(
  config: OpenConfig,
  biz: z.input<typeof billBiz>,
): OpenRequest {
  return signOpenRequest(config, 'alipay.data.dataservice.bill.downloadurl.query', {
    bizContent: parseInput(billBiz, biz, 'alipay.data.dataservice.bill.downloadurl.query'),
  })
}

/** alipay.system.oauth.token: exchanges the auth_code from the login redirect for an access token and user_id. */
export function oauthToken(
  config: OpenConfig,
  input: { code: string } | { refresh_token: string },
): OpenRequest {
  const params =
    'code' in input
      ? {
          grant_type: 'authorization_code',
          code: parseInput(shortToken, input.code, 'code'),
        }
      : {
          grant_type: 'refresh_token',
          refresh_token: parseInput(
            z.string().min(1).max(128),
            input.refresh_token,
            'refresh_token',
          ),
        }
  return signOpenRequest(config, 'alipay.system.oauth.token', { params })
}

/** alipay.user.info.share: the buyer's profile for an access token. */
export function userInfoShare(config: OpenConfig, authToken: string): OpenRequest {
  return signOpenRequest(config, 'alipay.user.info.share', {
    params: { auth_token: parseInput(shortToken, authToken, 'auth_token') },
  })
}

const authorizeInput = z
  .object({
    redirect_uri: callbackUrl,
    state: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, {
      message: 'must be 8–128 letters, digits, "_" or "-" (an unguessable CSRF token)',
    }),
    scope: z
      .enum(['auth_user', 'auth_base'], { message: 'must be auth_user or auth_base' })
      .optional(),
  })
  .strict()
export type AuthorizeInput = z.input<typeof authorizeInput>

/**
 * The URL that sends the buyer to Alipay to log in to the app (OAuth). Alipay redirects back to
 * `redirect_uri` with `auth_code` and `state`; exchange the code with {@link oauthToken}.
 * `state` is required: without it the login is open to cross-site request forgery.
 */
export function oauthAuthorizeUrl(config: OpenConfig, input: AuthorizeInput): string {
  const data = parseInput(authorizeInput, input, 'oauth2/publicAppAuthorize')
  const query = new URLSearchParams({
    app_id: config.appId,
    scope: data.scope ?? 'auth_user',
    redirect_uri: data.redirect_uri,
    state: data.state,
  })
  return `${config.authorizeUrl}?${query}`
}
