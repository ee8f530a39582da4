import { isIPv4, isIPv6 } from 'node:net'

/**
 * The key a client's address is counted under by the limits (rate limits, stream caps, the BFF
 * server's connection cap): an IPv4 address as it is, an IPv4 address written as IPv6
 * (::ffff:a.b.c.d) as that IPv4 address, and an IPv6 address by its /64 prefix, written
 * `2001:db8:1:2::/64`. A subscriber is routinely given a whole /64 (2^64 addresses), so counting
 * each IPv6 address on its own would give one client a fresh limit with every request
 * (docs/security.md, "Slow and many sockets"). Anything else is kept as it is.
 */
export function addressKey(address: string): string {
  // A zone (fe80::1%eth0) names the interface, not the peer.
  const bare = address.replace(/%.*$/, '')
  if (isIPv4(bare) || !isIPv6(bare)) return address
  const hextets = expand(bare.toLowerCase())
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    const [high = 0, low = 0] = hextets.slice(6)
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
  }
  return `${hextets
    .slice(0, 4)
    .map((h) => h.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of a valid IPv6 address (`::` filled in, a trailing IPv4 split). */
function expand(address: string): number[] {
  let text = address
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const part = (s: string | undefined) => (s ? s.split(':').map((h) => Number.parseInt(h, 16)) : [])
  const front = part(head)
  const back = part(tail)
  return tail === undefined
    ? front
    : [...front, ...Array(8 - front.length - back.length).fill(0), ...back]
}
