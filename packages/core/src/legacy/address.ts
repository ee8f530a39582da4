/** A buyer's address as `user.logistics.address.query` hands it back in `receive_address`. */
export interface ReceiveAddress {
  readonly fullname: string
  /** Mobile number (mobile_phone), when the buyer saved one. */
  readonly mobilePhone: string | undefined
  /** Landline (phone), when the buyer saved one. */
  readonly phone: string | undefined
  /** Province, city and district in Alipay's (national statistics) names: 上海 / 上海市 / 浦东新区. */
  readonly prov: string
  readonly city: string
  readonly area: string
  /** Street address. */
  readonly address: string
  readonly post: string | undefined
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? '')
}

/**
 * Control characters other than tab and line breaks (XML 1.0 allows no C0 control but those, and
 * discourages the C1 ones), lone UTF-16 halves (with the `u` flag a pair is one code point, so
 * \p{Cs} matches only a lone half), U+FFFE and U+FFFF. NUL among them is also what PostgreSQL's
 * jsonb and text refuse: a document holding one is not an address (docs/security.md, "Free text").
 */
const NOT_XML = /(?![\t\n\r])[\p{Cc}\p{Cs}\uFFFE\uFFFF]/u

/**
 * Reads the `receive_address` XML of an address choice. Returns undefined when it is not such a
 * document (or holds characters XML does not allow) or lacks the recipient, the province or the
 * street (nothing a form could be filled from).
 *
 * @example parseReceiveAddress('<receive_address><fullname>张三</fullname>…</receive_address>')
 */
export function parseReceiveAddress(xml: string): ReceiveAddress | undefined {
  if (NOT_XML.test(xml)) return undefined
  const inner = /^\s*<receive_address>([\s\S]*)<\/receive_address>\s*$/.exec(xml)?.[1]
  if (inner === undefined) return undefined
  const fields: Record<string, string> = Object.create(null)
  for (const match of inner.matchAll(/<([a-z_]+)>([^<]*)<\/\1>/g))
    fields[match[1] as string] = unescapeXml(match[2] as string)
  const text = (name: string) => (fields[name] === '' ? undefined : fields[name])
  const fullname = text('fullname')
  const prov = text('prov')
  const address = text('address')
  if (!fullname || !prov || !address) return undefined
  return {
    fullname,
    mobilePhone: text('mobile_phone'),
    phone: text('phone'),
    prov,
    city: text('city') ?? '',
    area: text('area') ?? '',
    address,
    post: text('post'),
  }
}
