import type { Navigator } from '../provider.js'

/*
 * The React kit's tests talk to a real BFF and the simulator over HTTP: the shared test harness
 * (@alipay-kit/testing) starts both.
 */
export { type Harness, SAMPLE_ADDRESS, Shopper, startHarness } from '@alipay-kit/testing'

/** Records where the kit would send the browser, instead of leaving the test page. */
export function recordingNavigator() {
  const visits: Array<
    | { kind: 'assign'; url: string }
    | { kind: 'post'; action: string; fields: Record<string, string> }
  > = []
  const navigator: Navigator = {
    assign: (url) => visits.push({ kind: 'assign', url }),
    post: (form) => visits.push({ kind: 'post', action: form.action, fields: { ...form.fields } }),
  }
  return { navigator, visits }
}

/** A fetch that counts requests by path and sends a session cookie, as the browser would. */
export function countingFetch(cookie?: () => string) {
  const counts = new Map<string, number>()
  const doFetch: typeof fetch = (input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    )
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1)
    const headers = new Headers(init?.headers)
    const jar = cookie?.()
    if (jar) headers.set('cookie', jar)
    return fetch(url, { ...init, headers })
  }
  return { fetch: doFetch, counts, count: (path: string) => counts.get(path) ?? 0 }
}
