import { CATALOG, type CatalogEntry } from './entries.js'

export type Locale = 'zh-CN' | 'en'

/** A gateway error explained for a person. */
export interface ExplainedError {
  readonly code: string
  /** Whether the catalog knows the code; an unknown code still gets a generic cause and fix. */
  readonly known: boolean
  readonly cause: string
  readonly fix: string
}

/** What a gateway answer can carry: a legacy `error` code, an Open Platform `code`/`sub_code`, or a bare code. */
export type GatewayAnswer =
  | string
  | {
      readonly error?: string | undefined
      readonly sub_code?: string | undefined
      readonly code?: string | undefined
      readonly subCode?: string | undefined
    }

function codeOf(answer: GatewayAnswer): string | undefined {
  if (typeof answer === 'string') return answer.trim() || undefined
  return answer.sub_code ?? answer.subCode ?? answer.error ?? answer.code
}

const UNKNOWN = {
  'zh-CN': {
    cause: '支付宝返回了未收录的错误码',
    fix: '查阅支付宝文档中的该错误码，并检查请求参数',
  },
  en: {
    cause: 'Alipay answered with an error code this catalog does not list',
    fix: "Look the code up in Alipay's documentation and check the request's parameters",
  },
} as const

/**
 * Explains a gateway error in the given locale.
 *
 * @example explainAlipayError({ code: '40002', sub_code: 'isv.invalid-timestamp' }, 'en').fix
 */
export function explainAlipayError(
  answer: GatewayAnswer,
  locale: Locale = 'zh-CN',
): ExplainedError {
  const code = codeOf(answer) ?? 'UNKNOWN'
  const entry: CatalogEntry | undefined = CATALOG.get(code)
  const text = entry ? entry[locale] : UNKNOWN[locale]
  return { code, known: entry !== undefined, cause: text.cause, fix: text.fix }
}

/** Every code the catalog knows. */
export function catalogCodes(): string[] {
  return [...CATALOG.keys()]
}
