import type { AlipayParams } from '../shared/canonical.js'
import { autoSubmitForm } from '../shared/html.js'
import type { OpenConfig } from './config.js'
import { rsaSignParams } from './rsa.js'
import { chinaTimestamp } from './timestamp.js'

/** A signed Open Platform request. */
export interface OpenRequest {
  readonly method: string
  /** Every parameter as sent, including `sign`. */
  readonly params: AlipayParams
  /** The signed GET URL (page and wap pay open this in the browser). */
  readonly url: string
  /** The `application/x-www-form-urlencoded` body for a server-to-server POST to the gateway. */
  readonly body: string
  /** HTML that posts the request from the buyer's browser. */
  toForm(options?: { nonce?: string }): string
}

export interface OpenRequestOptions {
  /** Business fields: an object is serialised with JSON.stringify exactly as given (keys never re-cased); a string is sent verbatim. */
  readonly bizContent?: object | string
  readonly notifyUrl?: string
  readonly returnUrl?: string
  /** Other top-level parameters (e.g. `grant_type`, `code`, `auth_token`). */
  readonly params?: Readonly<Record<string, string | undefined>>
  /** The instant to stamp; default now. */
  readonly now?: Date
}

/** Builds and signs an Open Platform request (RSA2 by default) with the common parameters. */
export function signOpenRequest(
  config: OpenConfig,
  method: string,
  options: OpenRequestOptions = {},
): OpenRequest {
  const unsigned: Record<string, string> = {
    app_id: config.appId,
    method,
    format: 'JSON',
    charset: 'utf-8',
    sign_type: config.signType,
    timestamp: chinaTimestamp(options.now),
    version: '1.0',
  }
  if (config.appCertSn && config.alipayRootCertSn) {
    unsigned.app_cert_sn = config.appCertSn
    unsigned.alipay_root_cert_sn = config.alipayRootCertSn
  }
  if (options.notifyUrl) unsigned.notify_url = options.notifyUrl
  if (options.returnUrl) unsigned.return_url = options.returnUrl
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value !== undefined && value !== '') unsigned[name] = value
  }
  if (options.bizContent !== undefined) {
    unsigned.biz_content =
      typeof options.bizContent === 'string'
        ? options.bizContent
        : JSON.stringify(options.bizContent)
  }
  const params: AlipayParams = {
    ...unsigned,
    sign: rsaSignParams(unsigned, config.privateKey, config.signType),
  }
  const body = new URLSearchParams(params).toString()
  const action = `${config.gateway}?charset=utf-8`
  return {
    method,
    params,
    url: `${config.gateway}?${body}`,
    body,
    toForm: (form) => autoSubmitForm({ action, params, charset: 'utf-8', nonce: form?.nonce }),
  }
}
