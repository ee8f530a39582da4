import { type AnchorHTMLAttributes, type MouseEvent, useEffect, useState } from 'react'

/*
 * A router the size of the shop: the path in the address bar, history.pushState to move, and a
 * Link that keeps ordinary clicks inside the app (and lets ctrl-click open a tab).
 */

const listeners = new Set<() => void>()

export function navigate(to: string): void {
  window.history.pushState(null, '', to)
  for (const listener of listeners) listener()
  window.scrollTo(0, 0)
}

function read() {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) }
}

/** The current location (path and query), re-rendered on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [location, setLocation] = useState(read)
  useEffect(() => {
    const update = () => setLocation(read())
    listeners.add(update)
    window.addEventListener('popstate', update)
    return () => {
      listeners.delete(update)
      window.removeEventListener('popstate', update)
    }
  }, [])
  return location
}

export function Link({
  href,
  onClick,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  return (
    <a
      href={href}
      onClick={(event: MouseEvent<HTMLAnchorElement>) => {
        onClick?.(event)
        if (
          event.defaultPrevented ||
          event.button !== 0 ||
          event.metaKey ||
          event.ctrlKey ||
          event.shiftKey
        )
          return
        event.preventDefault()
        navigate(href)
      }}
      {...rest}
    />
  )
}
