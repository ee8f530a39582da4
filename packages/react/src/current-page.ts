/** The page the buyer is on (path, query and hash), for `returnTo`; "/" where there is no window (SSR). */
export function currentPage(): string {
  if (typeof window === 'undefined') return '/'
  const { pathname, search, hash } = window.location
  return `${pathname}${search}${hash}`
}
