import { isIP } from 'node:net'
import { type Env, EnvError } from './env.js'

/*
 * The checks the server makes at start when it talks to the real Alipay (apps/bff/README.md,
 * "Going live"): Alipay's servers must reach the notify URL, so it must be public; in production
 * it must be https, and the Open Platform seller must be named so that notifications for another
 * seller are refused.
 */

function ipv4Private(ip: string): string | undefined {
  const [a = 0, b = 0] = ip.split('.').map(Number)
  if (a === 127) return 'a loopback address'
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
    return 'a private address'
  if (a === 169 && b === 254) return 'a link-local address'
  if (a === 100 && b >= 64 && b <= 127) return 'a carrier-grade NAT address'
  if (a === 0) return 'an unspecified address'
  return undefined
}

function ipv6Private(ip: string): string | undefined {
  const lower = ip.toLowerCase()
  if (lower === '::1') return 'a loopback address'
  if (lower === '::') return 'an unspecified address'
  if (/^f[cd]/.test(lower)) return 'a private (unique local) address'
  if (/^fe[89ab]/.test(lower)) return 'a link-local address'
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  return mapped ? ipv4Private(mapped[1] as string) : undefined
}

/** Why Alipay's servers could not reach this host, or undefined when it looks public. */
export function unreachableHost(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '')
  const version = isIP(host)
  if (version === 4) return ipv4Private(host)
  if (version === 6) return ipv6Private(host)
  const lower = host.toLowerCase()
  if (lower === 'localhost' || lower.endsWith('.localhost')) return 'a loopback name'
  if (lower.endsWith('.local') || lower.endsWith('.internal') || !lower.includes('.'))
    return 'a name only a local network resolves'
  return undefined
}

/**
 * The problems of a real-gateway configuration, worded for the operator; empty when it may start.
 * Real credentials need PUBLIC_URL (it never defaults to the listening address, which Alipay
 * cannot reach); in production it must be public https and the Open Platform needs its seller.
 */
export function goingLiveProblems(env: Env): string[] {
  const problems: string[] = []
  const production = env.NODE_ENV === 'production'
  if (!env.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: set it to the https URL where Alipay and buyers reach this server (e.g. https://shop.example). With real credentials it has no default: notify URLs built from the listening address are unreachable for Alipay, and every buyer who closes the cashier page would stay unpaid',
    )
  } else {
    const url = new URL(env.PUBLIC_URL)
    const why = unreachableHost(url.hostname)
    if (production && url.protocol !== 'https:')
      problems.push(
        `PUBLIC_URL: must be https in production (got ${url.origin}); terminate TLS at your proxy and give its https URL`,
      )
    if (production && why)
      problems.push(
        `PUBLIC_URL: ${url.hostname} is ${why}, which Alipay's servers cannot reach; give the public name of this server`,
      )
  }
  if (production && env.ALIPAY_APP_ID && !env.ALIPAY_SELLER_ID)
    problems.push(
      "ALIPAY_SELLER_ID: set it to the seller's 2088… user id (开放平台 → 账户中心) in production: without it, a notification's seller_id is not checked",
    )
  return problems
}

/** Throws an EnvError listing every problem of {@link goingLiveProblems}. */
export function assertReadyToGoLive(env: Env): void {
  const problems = goingLiveProblems(env)
  if (problems.length > 0)
    throw new EnvError(
      `The BFF will not start against the real Alipay:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    )
}
