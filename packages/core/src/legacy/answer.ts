import type { LegacyConfig } from './config.js'
import { md5Verify } from './md5.js'

/** A legacy gateway answer (XML), flattened: `is_success`, `error`, and the leaf fields of `<response>`. */
export interface LegacyAnswer {
  /** `is_success` is `T`. */
  readonly success: boolean
  /** The error code when `is_success` is `F` (look it up with explainAlipayError). */
  readonly error: string | undefined
  /** Leaf elements of `<response>` by tag name (e.g. `encrypt_key`, `trade_status`). */
  readonly fields: Readonly<Record<string, string>>
  /** Whether the answer's own MD5 signature verified; undefined when it carried none. */
  readonly signatureValid: boolean | undefined
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)))
    return ENTITIES[entity] ?? ''
  })
}

function leaves(xml: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null)
  for (const match of xml.matchAll(/<([A-Za-z_][\w.-]*)>([^<]*)<\/\1>/g)) {
    out[match[1] as string] = unescapeXml(match[2] as string)
  }
  return out
}

/**
 * Reads a legacy gateway XML answer (single_trade_query, query_timestamp, refunds, send_goods…).
 * Alipay's answers are flat and attribute-free, so leaf elements are read directly; when the
 * answer is signed, the signature is checked over the `<response>` leaves.
 */
export function parseLegacyAnswer(config: LegacyConfig, xml: string): LegacyAnswer {
  const top = leaves(xml.replace(/<response>[\s\S]*<\/response>/, ''))
  const response = /<response>([\s\S]*)<\/response>/.exec(xml)
  const fields = response ? leaves(response[1] as string) : {}
  const sign = top.sign
  return {
    success: top.is_success === 'T',
    error: top.error,
    fields,
    signatureValid:
      sign === undefined ? undefined : md5Verify(fields, sign, config.key, config.charset),
  }
}
