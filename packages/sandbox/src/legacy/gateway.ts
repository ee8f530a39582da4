import { receiveAddressXml } from '../buyers.js'
import { type Charset, encodeForm } from '../http/form.js'
import type { GatewayResult, RequestContext } from '../http/result.js'
import { errorPage, refundDonePage } from '../pages/pages.js'
import { legacySign, legacySignatureValid } from '../signing.js'
import type { Simulator } from '../simulator.js'
import { xmlError, xmlSuccess } from './answers.js'
import { isLegacyPaymentService, LEGACY_PAYMENT_SERVICES, openLegacyTrade } from './payment.js'
import { tradeQueryFields } from './trade-query.js'
import { checkUrl, GatewayError } from './validate.js'

/** Services answered with XML to a server, not with a page to a browser. */
const XML_SERVICES = [
  'query_timestamp',
  'single_trade_query',
  'refund_fastpay_by_platform_nopwd',
  'send_goods_confirm_by_platform',
  'close_trade',
]
const KNOWN = [
  ...LEGACY_PAYMENT_SERVICES,
  ...XML_SERVICES,
  'alipay.auth.authorize',
  'user.logistics.address.query',
  'notify_verify',
  'refund_fastpay_by_platform_pwd',
]

/** A signed URL back to the merchant (return_url redirects carry MD5-signed parameters). */
export function signedReturnUrl(
  sim: Simulator,
  base: string,
  fields: Record<string, string>,
  charset: Charset,
): string {
  const params = new Map(Object.entries(fields))
  params.set('sign', legacySign(params, sim.merchant.key, charset))
  params.set('sign_type', 'MD5')
  return `${base}?${encodeForm(params, charset)}`
}

/** The fields a signed MD5 answer to the merchant carries (address choice, quick login). */
export function signedFields(
  sim: Simulator,
  fields: Record<string, string>,
  charset: Charset,
): Record<string, string> {
  const params = new Map(Object.entries(fields))
  return { ...fields, sign: legacySign(params, sim.merchant.key, charset), sign_type: 'MD5' }
}

/**
 * The legacy gateway (/gateway.do with `service`): checks in Alipay's order (service, partner,
 * sign type, signature, contract, anti-phishing, then the service's own parameters) and answers
 * with Alipay's error codes.
 */
export function handleLegacy(
  sim: Simulator,
  params: Map<string, string>,
  charset: Charset,
  ctx: RequestContext,
): GatewayResult {
  const service = params.get('service') ?? ''
  const fail = (code: string, detail: string): GatewayResult =>
    XML_SERVICES.includes(service)
      ? { kind: 'xml', body: xmlError(code) }
      : { kind: 'html', status: 400, body: errorPage(code, detail) }
  try {
    if (!KNOWN.includes(service))
      throw new GatewayError('ILLEGAL_SERVICE', `unknown service "${service}"`)
    if (service === 'notify_verify') {
      const ok =
        params.get('partner') === sim.merchant.partner &&
        sim.isNotifyIdValid(params.get('notify_id') ?? '')
      return { kind: 'text', body: ok ? 'true' : 'false' }
    }
    if (params.get('partner') !== sim.merchant.partner)
      throw new GatewayError(
        'ILLEGAL_PARTNER',
        `partner "${params.get('partner') ?? ''}" is not a partner of this simulator`,
      )
    if ((params.get('sign_type') ?? '').toUpperCase() !== 'MD5')
      throw new GatewayError(
        'ILLEGAL_SIGN_TYPE',
        `sign_type "${params.get('sign_type') ?? ''}" is not MD5`,
      )
    if (!legacySignatureValid(params, sim.merchant.key, charset))
      throw new GatewayError(
        'ILLEGAL_SIGN',
        `the MD5 signature does not match (sorted parameters + key over ${charset} bytes)`,
      )
    if (!sim.contract.has(service))
      throw new GatewayError('HAS_NO_PRIVILEGE', `the contract does not include ${service}`)
    // Anti-phishing covers what sends the buyer to Alipay: payments and quick login (docs/protocol.md).
    if (
      sim.antiPhishing &&
      (isLegacyPaymentService(service) || service === 'alipay.auth.authorize')
    ) {
      if (!sim.isAntiPhishingKeyValid(params.get('anti_phishing_key')))
        throw new GatewayError(
          'ILLEGAL_ANTI_PHISHING_KEY',
          'anti_phishing_key is missing, unknown or expired; ask query_timestamp for a fresh one',
        )
      if (params.get('exter_invoke_ip') !== ctx.clientIp)
        throw new GatewayError(
          'ILLEGAL_EXTER_INVOKE_IP',
          `exter_invoke_ip "${params.get('exter_invoke_ip') ?? ''}" is not the buyer's IP ${ctx.clientIp}`,
        )
    }
    return dispatch(sim, service, params, charset, ctx)
  } catch (error) {
    if (error instanceof GatewayError) return fail(error.code, error.detail)
    throw error
  }
}

function dispatch(
  sim: Simulator,
  service: string,
  params: Map<string, string>,
  charset: Charset,
  ctx: RequestContext,
): GatewayResult {
  if (isLegacyPaymentService(service)) {
    const trade = openLegacyTrade(sim, service, params, charset)
    const tokenBuyer = sim.tokenBuyer(params.get('token'))
    if (tokenBuyer) {
      // A valid quick-login token skips Alipay's login page (docs/protocol.md, "Quick login").
      ctx.session.buyerId = tokenBuyer.userId
      ctx.session.loginExpiresAt = Number.POSITIVE_INFINITY
    }
    return { kind: 'redirect', url: `/cashier/${trade.tradeNo}` }
  }
  switch (service) {
    case 'alipay.auth.authorize': {
      if (params.get('target_service') !== 'user.auth.quick.login')
        throw new GatewayError('ILLEGAL_ARGUMENT', 'target_service must be user.auth.quick.login')
      const returnUrl = checkUrl(params.get('return_url'), 'return_url', true) as string
      const id = ctx.startFlow({ kind: 'auth', returnUrl, charset })
      return { kind: 'redirect', url: `/login?next=${encodeURIComponent(`/auth/${id}`)}` }
    }
    case 'user.logistics.address.query': {
      const returnUrl = checkUrl(params.get('return_url'), 'return_url', true) as string
      const buyer = sim.tokenBuyer(params.get('token'))
      const id = ctx.startFlow({ kind: 'address', returnUrl, charset })
      if (buyer) {
        ctx.session.buyerId = buyer.userId
        ctx.session.loginExpiresAt = Number.POSITIVE_INFINITY
        return { kind: 'redirect', url: `/addresses/${id}` }
      }
      return { kind: 'redirect', url: `/login?next=${encodeURIComponent(`/addresses/${id}`)}` }
    }
    case 'query_timestamp':
      return {
        kind: 'xml',
        body: xmlSuccess(
          service,
          'timestamp',
          { encrypt_key: sim.issueAntiPhishingKey() },
          sim.merchant.key,
          charset,
        ),
      }
    case 'single_trade_query': {
      const trade = params.get('trade_no')
        ? sim.trades.get(params.get('trade_no') as string)
        : sim.findByOutTradeNo(params.get('out_trade_no') ?? '', 'legacy')
      if (!trade) return { kind: 'xml', body: xmlError('TRADE_NOT_EXIST') }
      const fields = tradeQueryFields(trade, sim.merchant)
      return {
        kind: 'xml',
        body: xmlSuccess(service, 'trade', fields, sim.merchant.key, charset, params),
      }
    }
    case 'send_goods_confirm_by_platform': {
      const trade = sim.trades.get(params.get('trade_no') ?? '')
      if (!trade) return { kind: 'xml', body: xmlError('TRADE_NOT_EXIST') }
      if (trade.tradeStatus !== 'WAIT_SELLER_SEND_GOODS')
        return { kind: 'xml', body: xmlError('TRADE_STATUS_NOT_AVAILD') }
      sim.act(trade, 'ship')
      return {
        kind: 'xml',
        body: xmlSuccess(
          service,
          'tradeBase',
          { trade_no: trade.tradeNo, trade_status: trade.tradeStatus },
          sim.merchant.key,
          charset,
        ),
      }
    }
    case 'close_trade': {
      const trade = params.get('trade_no')
        ? sim.trades.get(params.get('trade_no') as string)
        : sim.findByOutTradeNo(params.get('out_order_no') ?? '', 'legacy')
      if (!trade) return { kind: 'xml', body: xmlError('TRADE_NOT_EXIST') }
      if (trade.tradeStatus !== 'WAIT_BUYER_PAY')
        return { kind: 'xml', body: xmlError('TRADE_STATUS_NOT_AVAILD') }
      sim.act(trade, 'close')
      return { kind: 'xml', body: xmlSuccess(service, undefined, {}, sim.merchant.key, charset) }
    }
    case 'refund_fastpay_by_platform_nopwd':
    case 'refund_fastpay_by_platform_pwd': {
      const refunds = refundBatch(sim, params, charset)
      if (service === 'refund_fastpay_by_platform_nopwd')
        return { kind: 'xml', body: xmlSuccess(service, undefined, {}, sim.merchant.key, charset) }
      return { kind: 'html', status: 200, body: refundDonePage(refunds) }
    }
  }
  throw new GatewayError('ILLEGAL_SERVICE', `service "${service}" is not simulated`)
}

/**
 * Checks a refund batch's form as Alipay does before accepting it (BATCH_NO_FORMAT_ERROR,
 * DUPLICATE_BATCH_NO, BATCH_NUM_NOT_EQUAL_TOTAL, DETAIL_DATA_FORMAT_ERROR,
 * DUBL_TRADE_NO_IN_SAME_BATCH: 即时到账批量退款业务错误码), then refunds or refuses each line
 * (Simulator.refundBatch); returns how many lines were refunded.
 */
function refundBatch(
  sim: Simulator,
  params: ReadonlyMap<string, string>,
  charset: Charset,
): number {
  const batchNo = params.get('batch_no') ?? ''
  if (!/^\d{8}[A-Za-z0-9]{3,24}$/.test(batchNo) || batchNo.slice(8) === '000')
    throw new GatewayError(
      'BATCH_NO_FORMAT_ERROR',
      'batch_no must be yyyyMMdd followed by 3–24 letters or digits (never 000)',
    )
  if (sim.refundBatchNos.has(batchNo))
    throw new GatewayError('DUPLICATE_BATCH_NO', `batch_no ${batchNo} was used before`)
  const details = (params.get('detail_data') ?? '').split('#').filter((d) => d !== '')
  if (details.length === 0 || String(details.length) !== params.get('batch_num'))
    throw new GatewayError(
      'BATCH_NUM_NOT_EQUAL_TOTAL',
      'batch_num must count the entries of detail_data',
    )
  const lines = details.map((detail) => {
    const [tradeNo = '', amount = '', reason, ...rest] = detail.split('^')
    if (!tradeNo || reason === undefined || rest.length > 0)
      throw new GatewayError(
        'DETAIL_DATA_FORMAT_ERROR',
        `"${detail}" is not trade_no^amount^reason`,
      )
    return { tradeNo, amount }
  })
  if (new Set(lines.map((line) => line.tradeNo)).size !== lines.length)
    throw new GatewayError('DUBL_TRADE_NO_IN_SAME_BATCH', 'detail_data names one trade twice')
  const results = sim.refundBatch({
    batchNo,
    notifyUrl: checkUrl(params.get('notify_url'), 'notify_url', false),
    charset,
    lines,
  })
  return results.filter((line) => line.result === 'SUCCESS').length
}

/** The quick-login answer (GET to return_url): who logged in, and the 30-minute token. */
/**
 * A quick-login return that etao started, not the shop ([QL §5, §6.3 notes 5 and 6]): to the
 * shop's return_url with no state of the shop's; with the buyer's login when the buyer is logged
 * in at Alipay or Taobao, else only target_url and notify_id.
 */
export function etaoReturn(
  sim: Simulator,
  returnUrl: string,
  targetUrl: string,
  buyerId: string | undefined,
): string {
  if (buyerId) return quickLoginReturn(sim, returnUrl, buyerId, 'utf-8', targetUrl)
  return signedReturnUrl(
    sim,
    returnUrl,
    { notify_id: sim.issueNotifyId(60_000), target_url: targetUrl },
    'utf-8',
  )
}

export function quickLoginReturn(
  sim: Simulator,
  returnUrl: string,
  buyerId: string,
  charset: Charset,
  targetUrl?: string,
): string {
  const buyer = sim.findBuyer(buyerId)
  if (!buyer) throw new GatewayError('ILLEGAL_ARGUMENT', `unknown buyer ${buyerId}`)
  const fields: Record<string, string> = {
    is_success: 'T',
    notify_id: sim.issueNotifyId(60_000),
    user_id: buyer.userId,
    real_name: buyer.realName,
    email: buyer.email,
    token: sim.issueToken(buyer),
    ...(targetUrl ? { target_url: targetUrl } : {}),
  }
  return signedReturnUrl(sim, returnUrl, fields, charset)
}

/** The chosen address, POSTed back to return_url. */
export function addressReturnFields(
  sim: Simulator,
  buyerId: string,
  index: number,
  charset: Charset,
): Record<string, string> {
  const buyer = sim.findBuyer(buyerId)
  const address = buyer?.addresses[index]
  if (!buyer || !address) throw new GatewayError('ILLEGAL_ARGUMENT', 'no such address')
  return signedFields(
    sim,
    {
      is_success: 'T',
      notify_id: sim.issueNotifyId(60_000),
      user_id: buyer.userId,
      receive_address: receiveAddressXml(address),
    },
    charset,
  )
}
