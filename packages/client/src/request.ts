import { type ApiErrorBody, CSRF_HEADER, type ErrorExplanation } from './contract.js'

/** A non-2xx answer from the BFF, with its catalog explanation in both languages. */
export class AlipayKitApiError extends Error {
  override readonly name = 'AlipayKitApiError'
  constructor(
    /** The HTTP status; 0 when the BFF could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly explanation: { readonly 'zh-CN': ErrorExplanation; readonly en: ErrorExplanation },
    readonly field?: string,
  ) {
    super(message)
  }
}

export interface ClientOptions {
  /** Where the BFF is mounted, e.g. "" (same origin) or "https://shop.example". Default "". */
  readonly baseUrl?: string
  readonly fetch?: typeof fetch
  /** Extra headers on every request (the merchant client's Authorization). */
  readonly headers?: Readonly<Record<string, string>>
}

const UNREACHABLE: { 'zh-CN': ErrorExplanation; en: ErrorExplanation } = {
  'zh-CN': { cause: '无法连接商户服务器', fix: '检查网络后重试' },
  en: { cause: 'The shop server could not be reached', fix: 'Check the connection and try again' },
}

export type Call = <T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  headers?: Readonly<Record<string, string>>,
) => Promise<T>

/** JSON over fetch with the session cookie and the CSRF header; errors become AlipayKitApiError. */
export function createRequester(options: ClientOptions): { baseUrl: string; call: Call } {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init))
  const call: Call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    headers?: Readonly<Record<string, string>>,
  ) => {
    let response: Response
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method,
        credentials: 'include',
        headers: {
          accept: 'application/json',
          [CSRF_HEADER]: '1',
          ...options.headers,
          ...headers,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      })
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error
      throw new AlipayKitApiError(0, 'NETWORK', (error as Error).message, UNREACHABLE)
    }
    if (response.status === 204) return undefined as T
    const text = await response.text()
    let data: unknown
    try {
      data = text === '' ? undefined : JSON.parse(text)
    } catch {
      data = undefined
    }
    if (!response.ok) {
      const error = (data as ApiErrorBody | undefined)?.error
      throw new AlipayKitApiError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.message ?? `The BFF answered ${response.status} ${response.statusText}`,
        error ? { 'zh-CN': error['zh-CN'], en: error.en } : UNREACHABLE,
        error?.field,
      )
    }
    return data as T
  }
  return { baseUrl, call }
}
