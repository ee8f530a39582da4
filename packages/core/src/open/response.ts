import { AlipayResponseError } from '../shared/errors.js'
import type { OpenConfig } from './config.js'
import { rsaVerifyString } from './rsa.js'

/** A gateway answer whose signature checked out (or an unsigned error answer, which carries nothing to trust). */
export interface OpenResponse {
  /** True when Alipay signed the answer and the signature verified. */
  readonly verified: boolean
  /** `code === '10000'`. */
  readonly success: boolean
  readonly code: string
  readonly msg: string
  readonly subCode: string | undefined
  readonly subMsg: string | undefined
  /** The `*_response` object as Alipay sent it. */
  readonly data: Readonly<Record<string, unknown>>
}

/** Where each top-level member's value stands in the JSON text, so a signature can be checked over its exact bytes. */
export function topLevelValueSpans(json: string): Map<string, { start: number; end: number }> {
  const spans = new Map<string, { start: number; end: number }>()
  let i = skipSpace(json, 0)
  if (json[i] !== '{') throw new AlipayResponseError('The gateway answer is not a JSON object')
  i = skipSpace(json, i + 1)
  while (i < json.length && json[i] !== '}') {
    const keyEnd = scanString(json, i)
    const key = JSON.parse(json.slice(i, keyEnd)) as string
    i = skipSpace(json, keyEnd)
    if (json[i] !== ':') throw new AlipayResponseError('Malformed JSON in the gateway answer')
    const start = skipSpace(json, i + 1)
    const end = scanValue(json, start)
    spans.set(key, { start, end })
    i = skipSpace(json, end)
    if (json[i] === ',') i = skipSpace(json, i + 1)
  }
  return spans
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i] as string)) i++
  return i
}

function scanString(text: string, i: number): number {
  if (text[i] !== '"') throw new AlipayResponseError('Malformed JSON in the gateway answer')
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++
    else if (text[j] === '"') return j + 1
  }
  throw new AlipayResponseError('Unterminated string in the gateway answer')
}

function scanValue(text: string, i: number): number {
  const first = text[i]
  if (first === '"') return scanString(text, i)
  if (first === '{' || first === '[') {
    let depth = 0
    for (let j = i; j < text.length; j++) {
      const char = text[j]
      if (char === '"') j = scanString(text, j) - 1
      else if (char === '{' || char === '[') depth++
      else if (char === '}' || char === ']') {
        depth--
        if (depth === 0) return j + 1
      }
    }
    throw new AlipayResponseError('Unbalanced JSON in the gateway answer')
  }
  let j = i
  while (j < text.length && !/[,}\]\s]/.test(text[j] as string)) j++
  return j
}

/**
 * Verifies a gateway answer for `method` over the exact text of its `*_response` value (never a
 * re-serialisation, which would reorder keys or re-escape characters) with Alipay's public key.
 */
export function verifyOpenResponse(config: OpenConfig, method: string, body: string): OpenResponse {
  const responseKey = `${method.replace(/\./g, '_')}_response`
  const spans = topLevelValueSpans(body)
  const span = spans.get(responseKey) ?? spans.get('error_response')
  if (!span)
    throw new AlipayResponseError(
      `The gateway answer has no "${responseKey}" member; is the gateway URL right?`,
    )
  const content = body.slice(span.start, span.end)
  const data = JSON.parse(content) as Record<string, unknown>
  const signSpan = spans.get('sign')
  const sign = signSpan
    ? (JSON.parse(body.slice(signSpan.start, signSpan.end)) as unknown)
    : undefined
  const code = String(data.code ?? '')
  const result = {
    success: code === '10000',
    code,
    msg: String(data.msg ?? ''),
    subCode: typeof data.sub_code === 'string' ? data.sub_code : undefined,
    subMsg: typeof data.sub_msg === 'string' ? data.sub_msg : undefined,
    data,
  }
  if (typeof sign !== 'string' || sign === '') {
    // Alipay leaves some error answers (e.g. isv.invalid-app-id) unsigned; a success must be signed.
    if (result.success)
      throw new AlipayResponseError(
        `The "${responseKey}" answer is not signed; refusing to trust it`,
      )
    return { verified: false, ...result }
  }
  // Certificate mode: the answer names the certificate it is signed with (after the response,
  // before the sign). Another than ours means Alipay rotated its certificate.
  const certSpan = spans.get('alipay_cert_sn')
  if (certSpan && config.alipayCertSn !== undefined) {
    const named = JSON.parse(body.slice(certSpan.start, certSpan.end)) as unknown
    if (named !== config.alipayCertSn)
      throw new AlipayResponseError(
        `The "${responseKey}" answer is signed with Alipay's certificate ${String(named)}, not the configured one (${config.alipayCertSn}): download Alipay's current public-key certificate (alipayCertPublicKey_RSA2.crt) from the Open Platform console and restart`,
      )
  }
  if (!rsaVerifyString(content, sign, config.alipayPublicKey, config.signType)) {
    throw new AlipayResponseError(
      `The signature of "${responseKey}" does not verify with the configured Alipay public key (check that it is Alipay's key, not the app's)`,
    )
  }
  return { verified: true, ...result }
}
