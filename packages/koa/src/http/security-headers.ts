import type { Middleware } from 'koa'
import helmet from 'koa-helmet'
import type { ResolvedConfig } from '../config.js'

/** Alipay's own hosts: the cashier a payment form lands on after the gateway redirects it. */
const ALIPAY_HOSTS = ['https://*.alipay.com', 'https://*.alipaydev.com']

/**
 * Where a payment form may go: the configured gateways (the simulator's origin in the demo), and
 * Alipay's cashier hosts when a gateway is Alipay's, since browsers apply `form-action` to the
 * redirects that follow the form too.
 */
export function alipayOrigins(config: ResolvedConfig): string[] {
  const gateways = [config.legacy?.config.gateway, config.open?.config.gateway].filter(
    (url): url is string => url !== undefined,
  )
  const origins = new Set(gateways.map((url) => new URL(url).origin))
  const real = [...origins].some((origin) => /\.alipay(dev)?\.com$/.test(new URL(origin).hostname))
  return [...origins, ...(real ? ALIPAY_HOSTS : [])]
}

/**
 * Security headers for everything the BFF serves, the SPA and the API (helmet, through
 * koa-helmet). The Content-Security-Policy allows the app's own origin, and Alipay's gateways as
 * a payment form's target and as a frame (Alipay's QR code embedded in the page, qr_pay_mode 4);
 * nobody may frame the shop. `Referrer-Policy: strict-origin-when-cross-origin`: other sites,
 * Alipay included, see only the origin, never an order page's `?token=` or a return's signed
 * parameters. HSTS and `upgrade-insecure-requests` only when the public URL is https.
 * What each header is for: packages/koa/README.md, "Security headers".
 */
export function securityHeaders(config: ResolvedConfig): Middleware {
  const https = config.publicUrl.startsWith('https:')
  const alipay = alipayOrigins(config)
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'form-action': ["'self'", ...alipay],
        'frame-src': ["'self'", ...alipay],
        'frame-ancestors': ["'none'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https
      ? { maxAge: 31_536_000, includeSubDomains: false, preload: false }
      : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    // The API may be called from the SPA's other origins (appOrigins, CORS): not same-origin only.
    crossOriginResourcePolicy: { policy: 'same-site' },
  })
}
