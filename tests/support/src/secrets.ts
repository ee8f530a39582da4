import type { RunningSandbox } from '@alipay-kit/sandbox'

/** Private key bodies: any 48 characters of the base64 between the PEM armour. */
function keyFragments(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, '')
  const fragments: string[] = []
  for (let i = 0; i + 48 <= body.length; i += 200) fragments.push(body.slice(i, i + 48))
  return fragments
}

/**
 * The secrets a log line must never carry during a test: the merchant's keys, the simulator's key,
 * every signature the simulator sent, quick-login and OAuth tokens, the merchant API secret.
 * Returns the offending lines, each with what it leaked.
 */
export function secretsInLogs(
  lines: readonly string[],
  sandbox: RunningSandbox,
  extra: readonly string[] = [],
): Array<{ what: string; line: string }> {
  const c = sandbox.credentials
  const exact: Array<[string, string]> = [
    ['the MD5 key', c.key],
    ...keyFragments(c.appPrivateKey).map((f): [string, string] => ['the app private key', f]),
    ...keyFragments(c.alipayPrivateKey).map((f): [string, string] => [
      "the simulator's private key",
      f,
    ]),
    ...extra.map((secret): [string, string] => ['a secret of the test', secret]),
    ...sandbox.simulator.deliveries
      .list()
      .map((delivery): [string, string] => ['a notification signature', delivery.params.sign ?? ''])
      .filter(([, sign]) => sign.length >= 16),
  ]
  const patterns: Array<[string, RegExp]> = [
    ['a quick-login token', /sandbox[0-9a-f]{24}/],
    ['an OAuth token', /authusr[B]?[0-9a-f]{24,32}/],
    ['a PEM key', /-----BEGIN [A-Z ]*KEY-----/],
  ]
  const found: Array<{ what: string; line: string }> = []
  for (const line of lines) {
    for (const [what, secret] of exact)
      if (secret && line.includes(secret)) found.push({ what, line })
    for (const [what, pattern] of patterns) if (pattern.test(line)) found.push({ what, line })
  }
  return found
}
