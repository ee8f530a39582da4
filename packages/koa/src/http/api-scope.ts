/** Which part of the HTTP API a request is for: the browser's, the merchant's, or neither. */
export type ApiScope = 'browser' | 'merchant' | 'none'

/**
 * The scope of a path as any reader of it could understand it: percent-decoded (`%61pi`,
 * `api%2Fcart`), lower-cased, doubled slashes and `.` segments collapsed. The guards (CORS, CSRF,
 * the browser-API limit) decide on this, while the router matches paths exactly (case-sensitive),
 * so a variant either meets the guards of the path it imitates or reaches no route at all
 * (docs/security.md, "Paths").
 */
export function apiScope(path: string): ApiScope {
  let canonical = path
  try {
    canonical = decodeURIComponent(path)
  } catch {
    // A broken escape: judged as written (the router cannot decode it either).
  }
  canonical = canonical
    .toLowerCase()
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/\/\.(?=\/|$)/g, '')
  if (canonical !== '/api' && !canonical.startsWith('/api/')) return 'none'
  return canonical === '/api/merchant' || canonical.startsWith('/api/merchant/')
    ? 'merchant'
    : 'browser'
}
