import type { Server, ServerOptions } from 'node:http'
import { addressKey } from '@alipay-kit/koa'
import type { Env } from './env.js'

/*
 * What one client may hold of the server's sockets (docs/security.md, "Slow and many sockets").
 * Node's defaults let a client keep a socket for 60 s without finishing its headers (checked only
 * every 30 s) and 300 s without finishing its request, and as many sockets as it likes: a few
 * hundred slow sockets from one address held the server's file descriptors and memory.
 */

/** Node's http server timeouts from the environment. */
export function serverTimeouts(env: Env): ServerOptions {
  const headersTimeout = env.HTTP_HEADERS_TIMEOUT_MS ?? 15_000
  const requestTimeout = env.HTTP_REQUEST_TIMEOUT_MS ?? 30_000
  return {
    // Receiving a request's headers, then the whole request (a 408 and the socket closed): it
    // bounds what the client sends, not the answer, so a status stream (SSE) stays open.
    headersTimeout,
    requestTimeout: Math.max(requestTimeout, headersTimeout),
    // How often those two are checked (Node's default, 30 s, would let a socket run over by that).
    connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(headersTimeout / 4))),
    // An idle keep-alive socket is closed after 5 s (Node's default, said here on purpose).
    keepAliveTimeout: 5_000,
  }
}

/**
 * Closes a socket as it is accepted when its address (an IPv6 one by its /64: addressKey) already
 * holds `max` open ones. 0 means no cap. Behind proxies every socket comes from a proxy, so the
 * default is no cap there (the proxy bounds its clients); reached directly, 128: more than a
 * browser's few connections times the buyers behind one office or campus address, and more than
 * the 100 status streams an address may hold (koa README, "Rate limits").
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return
  const open = new Map<string, number>()
  server.on('connection', (socket) => {
    const key = addressKey(socket.remoteAddress ?? '')
    const count = open.get(key) ?? 0
    if (count >= max) {
      socket.destroy()
      return
    }
    open.set(key, count + 1)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left <= 0) open.delete(key)
      else open.set(key, left)
    })
  })
}

/** MAX_CONNECTIONS_PER_ADDRESS, or its default: 128 reached directly, none behind proxies. */
export function connectionCapOf(env: Env, proxyHops: number): number {
  return env.MAX_CONNECTIONS_PER_ADDRESS ?? (proxyHops > 0 ? 0 : 128)
}
