import type { AlipayParams } from '../shared/canonical.js'
import { percentEncode } from '../shared/charset.js'
import { autoSubmitForm } from '../shared/html.js'
import type { LegacyConfig } from './config.js'
import { md5Sign } from './md5.js'

/** A signed legacy request, ready to send: as a GET URL, or as an auto-submitting POST form. */
export interface LegacyRequest {
  readonly service: string
  /** Every parameter as sent, including `sign` and `sign_type`. */
  readonly params: AlipayParams
  /** The signed GET URL (values percent-encoded in the request's charset). */
  readonly url: string
  /** HTML that posts the request from the buyer's browser. Pass a CSP nonce if the page has one. */
  toForm(options?: { nonce?: string }): string
}

/**
 * Signs `params` for `service`: adds `service`, `partner` and `_input_charset`, drops empty values
 * (Alipay ignores them and would not sign them), signs with MD5 and encodes in the config's charset.
 */
export function signLegacyRequest(
  config: LegacyConfig,
  service: string,
  params: Readonly<Record<string, string | undefined>>,
): LegacyRequest {
  const unsigned: Record<string, string> = {
    service,
    partner: config.partner,
    _input_charset: config.charset,
  }
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') unsigned[name] = value
  }
  const signed: AlipayParams = {
    ...unsigned,
    sign: md5Sign(unsigned, config.key, config.charset),
    sign_type: 'MD5',
  }
  const query = Object.entries(signed)
    .map(([name, value]) => `${name}=${percentEncode(value, config.charset)}`)
    .join('&')
  const action = `${config.gateway}?_input_charset=${config.charset}`
  return {
    service,
    params: signed,
    url: `${config.gateway}?${query}`,
    toForm: (options) =>
      autoSubmitForm({ action, params: signed, charset: config.charset, nonce: options?.nonce }),
  }
}

/**
 * The notify_verify request (docs/protocol.md, "Notifications"): unsigned by design, `service=notify_verify&partner=..&notify_id=..`.
 * Alipay answers the text `true` only for a notify_id it issued to this partner, within its validity.
 */
export function notifyVerifyUrl(config: LegacyConfig, notifyId: string): string {
  const query = new URLSearchParams({
    service: 'notify_verify',
    partner: config.partner,
    notify_id: notifyId,
  })
  return `${config.gateway}?${query}`
}

/** Reads notify_verify's answer: exactly `true` (Alipay may add whitespace) means genuine. */
export function isNotifyVerified(answer: string): boolean {
  return answer.trim() === 'true'
}
