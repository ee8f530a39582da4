import { randomBytes } from 'node:crypto'
import type { AlipayPayName } from '@alipay-kit/client'
import { AlipayKitError, chinaTimestamp, parseChinaTimestamp } from '@alipay-kit/core'
import type { GatewayResult } from '../http/result.js'
import { TIMESTAMP_TOLERANCE_MS } from '../notify/schedule.js'
import { errorPage } from '../pages/pages.js'
import { openRequestSignatureValid, openRequestSignString, signText } from '../signing.js'
import type { Simulator } from '../simulator.js'
import { fen, refundedFen, relativeMs, type Trade, yuan } from '../trades.js'

/*
 * Answers as Alipay writes them (docs/protocol.md, "Gateway answers"; the corpus in
 * packages/core/conformance): `{"<method>_response":{…},"sign":"…"}` with `/` written `\/`, and
 * errors of the request itself (signature, timestamp, parameters) under the method's own
 * `*_response`, signed. Only what Alipay cannot attribute to an app (isv.invalid-app-id, a missing
 * signature) or an OAuth code it refuses comes as an unsigned `error_response`.
 */

const API_METHODS = [
  'alipay.trade.query',
  'alipay.trade.refund',
  'alipay.trade.fastpay.refund.query',
  'alipay.trade.close',
  'alipay.system.oauth.token',
  'alipay.user.info.share',
  'alipay.data.dataservice.bill.downloadurl.query',
] as const

/** An Open Platform error: code/msg/sub_code as Alipay answers them. */
class OpenError extends AlipayKitError {
  constructor(
    code: string,
    readonly msg: string,
    readonly subCode: string,
    readonly subMsg: string,
    /** 'unsigned': answered as an unsigned error_response; otherwise under the method's own *_response, signed. */
    readonly gateway: 'signed' | 'unsigned' | false = false,
  ) {
    super(code, `${subCode}: ${subMsg}`)
  }
}

const invalid = (subCode: string, subMsg: string, gateway: 'signed' | 'unsigned' = 'signed') =>
  new OpenError('40002', 'Invalid Arguments', subCode, subMsg, gateway)
const business = (subCode: string, subMsg: string) =>
  new OpenError('40004', 'Business Failed', subCode, subMsg)

/** The session store for OAuth codes and access tokens of the Open Platform login. */
export class OpenAuth {
  readonly codes = new Map<string, { buyerId: string; expiresAt: number }>()
  readonly accessTokens = new Map<string, { buyerId: string; expiresAt: number }>()

  issueCode(buyerId: string, now: number): string {
    const code = randomBytes(16).toString('hex')
    this.codes.set(code, { buyerId, expiresAt: now + 5 * 60_000 })
    return code
  }
}

function respond(
  sim: Simulator,
  method: string,
  body: Record<string, unknown>,
  key?: string,
): GatewayResult {
  const name = key ?? `${method.replace(/\./g, '_')}_response`
  // Alipay escapes every slash ("https:\/\/…"); the signature covers the text as written.
  const json = JSON.stringify(body).replaceAll('/', '\\/')
  // In certificate mode the answer names the certificate it is signed with, after the response.
  const certSn = sim.certificateSns ? `"alipay_cert_sn":"${sim.certificateSns.alipayCertSn}",` : ''
  return {
    kind: 'json',
    body: `{"${name}":${json},${certSn}"sign":"${signText(json, sim.merchant.alipayPrivateKey)}"}`,
  }
}

function success(sim: Simulator, method: string, fields: Record<string, unknown>): GatewayResult {
  return respond(sim, method, { code: '10000', msg: 'Success', ...fields })
}

/** Parses biz_content, answering isv.invalid-parameter when it is not a JSON object. */
function bizOf(params: ReadonlyMap<string, string>): Record<string, unknown> {
  const text = params.get('biz_content')
  if (text === undefined) return {}
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {}
  throw invalid('isv.invalid-parameter', 'biz_content is not a JSON object')
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined

function tradeOf(sim: Simulator, biz: Record<string, unknown>): Trade {
  const outTradeNo = str(biz.out_trade_no)
  const tradeNo = str(biz.trade_no)
  if (!outTradeNo && !tradeNo)
    throw invalid('isv.missing-parameter', 'out_trade_no or trade_no is required')
  const trade = tradeNo
    ? sim.trades.get(tradeNo)
    : sim.findByOutTradeNo(outTradeNo as string, 'open')
  if (trade?.gateway !== 'open') throw business('ACQ.TRADE_NOT_EXIST', '交易不存在')
  return trade
}

function amountFen(value: unknown, name: string): number {
  const text = str(value)
  if (!text || !/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(text) || fen(text) === 0)
    throw business(
      'ACQ.INVALID_PARAMETER',
      `${name} must be a positive yuan amount with at most two decimals`,
    )
  return fen(text)
}

/** What a payment method's handler is given. */
interface PaymentRequest {
  readonly method: string
  readonly params: ReadonlyMap<string, string>
  readonly biz: Record<string, unknown>
  /** Where the simulator is reached (QR codes point there). */
  readonly origin: string
}

/**
 * How the simulator answers each Open Platform payment method: a cashier page for the browser, or
 * a JSON answer to the server (docs/protocol.md, "Open Platform payment services"). A payment
 * service of the registry without its entry here is a type error.
 */
const PAYMENTS: {
  readonly [M in AlipayPayName<'open'>]: {
    readonly answers: 'page' | 'json'
    handle(sim: Simulator, request: PaymentRequest): GatewayResult
  }
} = {
  'alipay.trade.page.pay': { answers: 'page', handle: cashierPay },
  'alipay.trade.wap.pay': { answers: 'page', handle: cashierPay },
  'alipay.trade.precreate': { answers: 'json', handle: precreate },
}

const paymentOf = (method: string) =>
  Object.hasOwn(PAYMENTS, method) ? PAYMENTS[method as AlipayPayName<'open'>] : undefined

/**
 * The Open Platform gateway (/gateway.do with `method`): app id, method, signature (RSA2 over
 * every parameter but sign, with the app's public key) and timestamp first, then the method.
 */
export function handleOpen(
  sim: Simulator,
  params: Map<string, string>,
  auth: OpenAuth,
  origin: string,
): GatewayResult {
  const method = params.get('method') ?? ''
  const payment = paymentOf(method)
  const isPage = payment?.answers === 'page'
  try {
    if (params.get('app_id') !== sim.merchant.appId)
      throw invalid(
        'isv.invalid-app-id',
        `无效的AppID参数 (${params.get('app_id') ?? 'none'})`,
        'unsigned',
      )
    if (!payment && !(API_METHODS as readonly string[]).includes(method))
      throw invalid('isv.invalid-method', `不存在的方法名 ${method}`)
    if (sim.certificateSns) {
      // The app's key is found by its certificate's SN (docs/protocol.md, "Certificate mode").
      if (params.get('app_cert_sn') !== sim.certificateSns.appCertSn)
        throw invalid('isv.app-cert-not-exist', '应用公钥证书不存在')
      if (params.get('alipay_root_cert_sn') !== sim.certificateSns.alipayRootCertSn)
        throw invalid('isv.invalid-alipay-root-cert-sn', '无效支付宝根证书序列号')
    }
    if (!params.get('sign')) throw invalid('isv.missing-signature', '缺少签名参数', 'unsigned')
    const signType = params.get('sign_type') ?? 'RSA'
    if (signType !== 'RSA2' && signType !== 'RSA')
      throw invalid('isv.invalid-signature-type', `sign_type ${signType}`)
    if (!openRequestSignatureValid(params, sim.merchant.appPublicKey, signType))
      throw invalid(
        'isv.invalid-signature',
        // Alipay writes the sign string's & as &amp; (the official SDK's example).
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${openRequestSignString(params).replaceAll('&', '&amp;')}`,
      )
    const stamp = parseChinaTimestamp(params.get('timestamp') ?? '')
    if (!stamp || Math.abs(stamp.getTime() - Date.now()) > TIMESTAMP_TOLERANCE_MS) {
      throw invalid(
        'isv.invalid-timestamp',
        `timestamp "${params.get('timestamp') ?? ''}" must be China time (yyyy-MM-dd HH:mm:ss) within 15 minutes of Alipay's clock`,
      )
    }
    const biz = bizOf(params)
    if (payment) return payment.handle(sim, { method, params, biz, origin })
    return api(sim, method, params, biz, auth, origin)
  } catch (error) {
    if (!(error instanceof OpenError)) throw error
    if (isPage)
      return {
        kind: 'html',
        status: 400,
        body: errorPage(error.subCode, `${error.code} ${error.msg}: ${error.subMsg}`),
      }
    const body = {
      code: error.code,
      msg: error.msg,
      sub_code: error.subCode,
      sub_msg: error.subMsg,
    }
    if (error.gateway === 'unsigned')
      return { kind: 'json', body: JSON.stringify({ error_response: body }) }
    return respond(sim, method, body)
  }
}

/**
 * The trade a payment request opens, or the one it repeats: the same out_trade_no with other
 * data is ACQ.CONTEXT_INCONSISTENT, a paid or closed one ACQ.TRADE_HAS_SUCCESS / _HAS_CLOSE.
 */
function openTrade(sim: Simulator, { method, params, biz }: PaymentRequest): Trade {
  const outTradeNo = str(biz.out_trade_no)
  if (!outTradeNo || !/^[A-Za-z0-9_-]{1,64}$/.test(outTradeNo))
    throw business('ACQ.INVALID_PARAMETER', 'out_trade_no must be 1–64 letters, digits, _ or -')
  const subject = str(biz.subject)
  if (!subject) throw invalid('isv.missing-parameter', 'subject is required')
  const totalFen = amountFen(biz.total_amount, 'total_amount')
  const fingerprint = [method, totalFen, subject].join('|')
  const existing = sim.findByOutTradeNo(outTradeNo, 'open')
  if (existing) {
    if (existing.fingerprint !== fingerprint)
      throw business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改')
    if (existing.tradeStatus === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已关闭')
    if (existing.tradeStatus !== 'WAIT_BUYER_PAY')
      throw business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付')
    return existing
  }
  return sim.createTrade({
    gateway: 'open',
    service: method as Trade['service'],
    outTradeNo,
    subject,
    body: str(biz.body),
    totalFen,
    price: undefined,
    quantity: undefined,
    charset: 'utf-8',
    notifyUrl: params.get('notify_url'),
    returnUrl: params.get('return_url'),
    showUrl: str(biz.quit_url),
    passback: str(biz.passback_params),
    fingerprint,
    expiresAt: expiryOf(biz, sim.now()),
  })
}

/**
 * When an unpaid trade closes: time_expire (absolute, China time) over timeout_express
 * (relative to now); neither: it stays payable (docs/protocol.md, "Expiry").
 */
function expiryOf(biz: Record<string, unknown>, now: number): number | undefined {
  const absolute = str(biz.time_expire)
  if (absolute !== undefined) {
    const at = parseChinaTimestamp(absolute)
    if (!at) throw invalid('isv.invalid-parameter', 'time_expire must be yyyy-MM-dd HH:mm:ss')
    return at.getTime()
  }
  const relative = str(biz.timeout_express)
  if (relative === undefined) return undefined
  const ms = relativeMs(relative, now)
  if (ms === undefined)
    throw invalid('isv.invalid-parameter', 'timeout_express must be like 90m, 2h, 1d or 1c')
  return now + ms
}

/** page and wap pay: the buyer's browser goes to the cashier. */
function cashierPay(sim: Simulator, request: PaymentRequest): GatewayResult {
  return { kind: 'redirect', url: `/cashier/${openTrade(sim, request).tradeNo}` }
}

/**
 * alipay.trade.precreate: a QR code whose content is a simulator URL; opening it is scanning.
 * The answer's fields are those of the official SDK's AlipayTradePrecreateResponse
 * (out_trade_no, qr_code; docs/protocol.md, "QR code").
 */
function precreate(sim: Simulator, request: PaymentRequest): GatewayResult {
  const trade = openTrade(sim, request)
  const code = sim.issueQrCode(trade, str(request.biz.qr_code_timeout_express))
  return success(sim, request.method, {
    out_trade_no: trade.outTradeNo,
    qr_code: `${request.origin}/qr/${code}`,
  })
}

function api(
  sim: Simulator,
  method: string,
  params: ReadonlyMap<string, string>,
  biz: Record<string, unknown>,
  auth: OpenAuth,
  origin: string,
): GatewayResult {
  switch (method) {
    case 'alipay.data.dataservice.bill.downloadurl.query': {
      // bill_type and bill_date as the official SDKs' model names them; the answer is
      // bill_download_url, good for 30 seconds (docs/protocol.md, "The daily bill").
      const type = str(biz.bill_type)
      const day = str(biz.bill_date)
      if (type !== 'trade' && type !== 'signcustomer')
        throw invalid('isv.invalid-parameter', 'bill_type must be trade or signcustomer')
      if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
        throw invalid('isv.invalid-parameter', 'bill_date must be yyyy-MM-dd (a day bill)')
      const token = type === 'trade' ? sim.issueBill(day) : undefined
      if (!token) throw business('isp.bill_not_exist', '账单不存在')
      return success(sim, method, {
        bill_download_url: `${origin}/downloadBillFile.resource?bizType=trade&fileType=csv.zip&bizDates=${day.replace(/-/g, '')}&token=${token}`,
      })
    }
    case 'alipay.trade.query': {
      const trade = tradeOf(sim, biz)
      // The fields and formats of alipay.trade.query's documented answer: send_pay_date in China
      // time (yyyy-MM-dd HH:mm:ss), buyer_logon_id masked.
      const paid = trade.paidAt !== undefined
      // The numericAmounts fault writes them as the documented example does: JSON numbers.
      const numeric = sim.faultsFor(trade.outTradeNo).numericAmounts === true
      const amount = (fen: number) => (numeric ? Number(yuan(fen)) : yuan(fen))
      return success(sim, method, {
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        trade_status: trade.tradeStatus,
        total_amount: amount(trade.totalFen),
        ...(trade.buyer
          ? {
              buyer_user_id: trade.buyer.userId,
              buyer_logon_id: trade.buyer.email.replace(/^(.{2}).*(@.*)$/, '$1***$2'),
            }
          : {}),
        ...(paid
          ? {
              receipt_amount: yuan(trade.totalFen),
              buyer_pay_amount: amount(trade.totalFen),
              point_amount: numeric ? 0 : '0.00',
              invoice_amount: amount(trade.totalFen),
              send_pay_date: chinaTimestamp(new Date(trade.paidAt as number)),
            }
          : {}),
      })
    }
    case 'alipay.trade.close': {
      const trade = tradeOf(sim, biz)
      if (trade.tradeStatus === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已关闭')
      if (trade.tradeStatus !== 'WAIT_BUYER_PAY')
        throw business('ACQ.TRADE_HAS_SUCCESS', '交易已支付，不能关闭')
      sim.act(trade, 'close')
      return success(sim, method, { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo })
    }
    case 'alipay.trade.refund': {
      const trade = tradeOf(sim, biz)
      const refundFen = amountFen(biz.refund_amount, 'refund_amount')
      const requestNo = str(biz.out_request_no) ?? trade.outTradeNo
      const done = trade.refunds.find((r) => r.id === requestNo)
      if (!done) {
        if (trade.tradeStatus === 'WAIT_BUYER_PAY')
          throw business('ACQ.TRADE_STATUS_ERROR', '交易未付款')
        if (trade.tradeStatus === 'TRADE_CLOSED')
          throw business('ACQ.TRADE_HAS_CLOSE', '交易已关闭')
        if (trade.tradeStatus === 'TRADE_FINISHED')
          throw business('ACQ.TRADE_HAS_FINISHED', '交易已完结')
        if (refundFen > trade.totalFen - refundedFen(trade))
          throw business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限')
        const refused = sim.faultsFor(trade.outTradeNo).refundRefused
        if (refused) {
          sim.faultLog.push({
            at: sim.now(),
            outTradeNo: trade.outTradeNo,
            faults: [`refundRefused=${refused}`],
          })
          throw business(refused, '退款失败（模拟器故障 refundRefused）')
        }
        sim.refund(trade, requestNo, refundFen)
      }
      return success(sim, method, {
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        fund_change: done ? 'N' : 'Y',
        refund_fee: yuan(refundedFen(trade)),
        buyer_user_id: trade.buyer?.userId,
      })
    }
    case 'alipay.trade.fastpay.refund.query': {
      const trade = tradeOf(sim, biz)
      const refund = trade.refunds.find((r) => r.id === str(biz.out_request_no))
      if (!refund)
        return success(sim, method, { trade_no: trade.tradeNo, out_trade_no: trade.outTradeNo })
      return success(sim, method, {
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        out_request_no: refund.id,
        refund_amount: yuan(refund.amountFen),
        refund_status: 'REFUND_SUCCESS',
      })
    }
    case 'alipay.system.oauth.token': {
      const code = params.get('code')
      const grant = code ? auth.codes.get(code) : undefined
      if (!code || !grant || sim.now() > grant.expiresAt)
        throw invalid('isv.code-invalid', '授权码code无效', 'unsigned')
      auth.codes.delete(code)
      const accessToken = `authusr${randomBytes(16).toString('hex')}`
      auth.accessTokens.set(accessToken, {
        buyerId: grant.buyerId,
        expiresAt: sim.now() + 15 * 24 * 3600_000,
      })
      return respond(sim, method, {
        user_id: grant.buyerId,
        access_token: accessToken,
        expires_in: 1296000,
        refresh_token: `authusrB${randomBytes(12).toString('hex')}`,
        re_expires_in: 2592000,
      })
    }
    case 'alipay.user.info.share': {
      const token = params.get('auth_token')
      const grant = token ? auth.accessTokens.get(token) : undefined
      if (!grant || sim.now() > grant.expiresAt)
        return respond(sim, method, {
          code: '20001',
          msg: 'Insufficient Token Permissions',
          sub_code: 'aop.invalid-auth-token',
          sub_msg: '无效的访问令牌',
        })
      const buyer = sim.findBuyer(grant.buyerId)
      return success(sim, method, {
        user_id: grant.buyerId,
        nick_name: buyer?.realName,
        avatar: '',
      })
    }
  }
  throw invalid('isv.invalid-method', `不存在的方法名 ${method}`)
}
