import type { Charset } from '../http/form.js'
import { legacySign } from '../signing.js'

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** An XML error answer as the legacy gateway writes it. */
export function xmlError(code: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>${escapeXml(code)}</error></alipay>`
}

/**
 * A successful XML answer; `fields` sit under `<response><wrapper>` and are MD5-signed. The
 * `<request>` element echoes the request's parameters as Alipay's do (without `sign` and
 * `sign_type`: captured answers differ there; docs/protocol.md, "Gateway answers").
 */
export function xmlSuccess(
  service: string,
  wrapper: string | undefined,
  fields: Readonly<Record<string, string>>,
  key: string,
  charset: Charset,
  request: ReadonlyMap<string, string> = new Map([['service', service]]),
): string {
  const leaves = Object.entries(fields)
    .map(([tag, value]) => `<${tag}>${escapeXml(value)}</${tag}>`)
    .join('')
  const response =
    Object.keys(fields).length === 0
      ? ''
      : `<response>${wrapper ? `<${wrapper}>${leaves}</${wrapper}>` : leaves}</response>`
  const sign =
    Object.keys(fields).length === 0
      ? ''
      : `<sign>${legacySign(new Map(Object.entries(fields)), key, charset)}</sign><sign_type>MD5</sign_type>`
  const echoed = [...request]
    .filter(([name]) => name !== 'sign' && name !== 'sign_type')
    .map(([name, value]) => `<param name="${escapeXml(name)}">${escapeXml(value)}</param>`)
    .join('')
  return `<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success><request>${echoed}</request>${response}${sign}</alipay>`
}
