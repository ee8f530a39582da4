import { AlipayGatewayError } from '@alipay-kit/core'

/** GETs or POSTs to a gateway with a timeout; network failures become GATEWAY_UNREACHABLE. */
export async function gatewayText(
  doFetch: typeof fetch,
  url: string,
  init: { method?: string; body?: string; timeoutMs?: number } = {},
): Promise<string> {
  try {
    const response = await doFetch(url, {
      method: init.method ?? 'GET',
      headers: init.body
        ? { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' }
        : {},
      body: init.body ?? null,
      signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
    })
    return await response.text()
  } catch (error) {
    throw new AlipayGatewayError(
      'GATEWAY_UNREACHABLE',
      `Alipay could not be reached: ${(error as Error).message}`,
      { cause: error },
    )
  }
}
