import { isIP } from 'node:net'
import { isAlipayHost, LEGACY_PRODUCTION_GATEWAY, OPEN_PRODUCTION_GATEWAY } from '@alipay-kit/core'
import { type Env, EnvError } from './env.js'

/*
 * The checks the server makes at start when it talks to the real Alipay (apps/bff/README.md,
 * "Going live"): Alipay's servers must reach the notify URL, so it must be public and https, and
 * the Open Platform seller must be named so that notifications for another seller are refused.
 * "Live" is decided from the gateways, never from NODE_ENV alone: a gateway of Alipay's own
 * (production or its sandbox, `isAlipayHost`) is live whatever NODE_ENV says (issue 25, finding
 * 5); NODE_ENV=production makes any gateway live (a proxy in front of Alipay, say).
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

/** The gateways the environment's credentials talk to: the one configured, else Alipay's. */
function gatewaysOf(env: Env): { legacy: string | undefined; open: string | undefined } {
  return {
    legacy: env.ALIPAY_PARTNER
      ? (env.ALIPAY_LEGACY_GATEWAY ?? LEGACY_PRODUCTION_GATEWAY)
      : undefined,
    open: env.ALIPAY_APP_ID ? (env.ALIPAY_OPEN_GATEWAY ?? OPEN_PRODUCTION_GATEWAY) : undefined,
  }
}

/**
 * The problems of a real-gateway configuration, worded for the operator; empty when it may start.
 * Real credentials need PUBLIC_URL (it never defaults to the listening address, which Alipay
 * cannot reach); live (a gateway of Alipay's, or production) it must be public https and the Open
 * Platform needs its seller.
 */
export function goingLiveProblems(env: Env): string[] {
  const problems: string[] = []
  const production = env.NODE_ENV === 'production'
  const gateways = gatewaysOf(env)
  const live = (gateway: string | undefined) =>
    gateway !== undefined && (production || isAlipayHost(gateway))
  const anyLive = live(gateways.legacy) || live(gateways.open)
  const why = production ? 'in production' : "against Alipay's gateway, whatever NODE_ENV says"
  if (!env.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: set it to the https URL where Alipay and buyers reach this server (e.g. https://shop.example). With real credentials it has no default: notify URLs built from the listening address are unreachable for Alipay, and every buyer who closes the cashier page would stay unpaid',
    )
  } else if (anyLive) {
    const url = new URL(env.PUBLIC_URL)
    const unreachable = unreachableHost(url.hostname)
    if (url.protocol !== 'https:')
      problems.push(
        `PUBLIC_URL: must be https ${why} (got ${url.origin}); terminate TLS at your proxy and give its https URL`,
      )
    if (unreachable)
      problems.push(
        `PUBLIC_URL: ${url.hostname} is ${unreachable}, which Alipay's servers cannot reach; give the public name of this server`,
      )
  }
  if (live(gateways.open) && !env.ALIPAY_SELLER_ID)
    problems.push(
      `ALIPAY_SELLER_ID: set it to the seller's 2088… user id (开放平台 → 账户中心) ${why}: without it, a notification's seller_id is not checked, and one Alipay signed for another seller of the same app would pay an order`,
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
