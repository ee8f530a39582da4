/**
 * Whether a URL is Alipay's own: a host under `alipay.com` (the production gateways,
 * `LEGACY_PRODUCTION_GATEWAY` and `OPEN_PRODUCTION_GATEWAY`) or `alipaydev.com` (Alipay's sandbox,
 * 沙箱). A gateway there means real Alipay servers sign the answers and notifications, so the
 * checks for going live apply (the seller named, a public https notify URL), whatever else the
 * configuration says; any other host (the local simulator) is a test double.
 */
export function isAlipayHost(url: string): boolean {
  let hostname: string
  try {
    hostname = new URL(url).hostname
  } catch {
    return false
  }
  return /(^|\.)alipay(dev)?\.com$/.test(hostname)
}
