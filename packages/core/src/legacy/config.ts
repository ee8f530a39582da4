import { z } from 'zod'
import { type AlipayCharset, normalizeCharset } from '../shared/charset.js'
import { AlipayInputError } from '../shared/errors.js'

/** Alipay's production legacy gateway. The local simulator stands in for it in development. */
export const LEGACY_PRODUCTION_GATEWAY = 'https://mapi.alipay.com/gateway.do'

export interface LegacyConfigInput {
  /** The 16-digit partner id starting with 2088 (合作身份者ID). Not an email. */
  readonly partner: string
  /** The 32-character MD5 security code (安全校验码). */
  readonly key: string
  /** `_input_charset`: the encoding of the shop's pages. Default `utf-8`. */
  readonly charset?: string
  /** Gateway URL. Default: Alipay production. */
  readonly gateway?: string
  /** The receiving account's email (seller_email). Default: seller_id = partner. */
  readonly sellerEmail?: string
  /** The receiving account's 2088 id (seller_id). Default: the partner. */
  readonly sellerId?: string
}

export interface LegacyConfig {
  readonly partner: string
  readonly key: string
  readonly charset: AlipayCharset
  readonly gateway: string
  readonly sellerId: string
  readonly sellerEmail: string | undefined
}

const partnerId = z.string().superRefine((value, ctx) => {
  if (/^2088\d{12}$/.test(value)) return
  const hint = value.includes('@')
    ? 'that is an email; the partner id is the 16-digit number starting with 2088 shown under 商家服务 (ILLEGAL_PARTNER otherwise)'
    : value.trim() !== value
      ? 'it has surrounding spaces, which Alipay answers with ILLEGAL_PARTNER; remove them'
      : 'must be the 16-digit number starting with 2088 shown under 商家服务'
  ctx.addIssue({ code: 'custom', message: hint })
})

/** Checks a legacy configuration once, at start-up, so a wrong id fails here and not at Alipay. */
export function createLegacyConfig(input: LegacyConfigInput): LegacyConfig {
  const partner = partnerId.safeParse(input.partner)
  if (!partner.success)
    throw new AlipayInputError('partner', partner.error.issues[0]?.message ?? 'invalid')
  if (!/^[A-Za-z0-9]{32}$/.test(input.key ?? '')) {
    throw new AlipayInputError(
      'key',
      'must be the 32-character MD5 security code (letters and digits) from 商家服务; check for spaces or a truncated copy',
    )
  }
  const charset = normalizeCharset(input.charset ?? 'utf-8')
  if (!charset)
    throw new AlipayInputError(
      'charset',
      `must be "utf-8" or "gbk"; got ${JSON.stringify(input.charset)}`,
    )
  const gateway = input.gateway ?? LEGACY_PRODUCTION_GATEWAY
  if (!/^https?:\/\/[^?#]+$/.test(gateway)) {
    throw new AlipayInputError(
      'gateway',
      `must be an absolute http(s) URL without a query string; got ${JSON.stringify(gateway)}`,
    )
  }
  const sellerId = input.sellerId ?? input.partner
  if (!partnerId.safeParse(sellerId).success) {
    throw new AlipayInputError('sellerId', 'must be a 16-digit Alipay user id starting with 2088')
  }
  return {
    partner: input.partner,
    key: input.key,
    charset,
    gateway,
    sellerId,
    sellerEmail: input.sellerEmail,
  }
}
