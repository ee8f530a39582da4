const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

export interface AutoSubmitFormOptions {
  readonly action: string
  readonly params: Readonly<Record<string, string>>
  readonly charset: string
  /** A CSP nonce for the inline submit script, when the page has a Content-Security-Policy. */
  readonly nonce?: string | undefined
}

/**
 * An HTML form that posts `params` to `action` and submits itself, the way Alipay's own SDKs hand
 * a page-pay request to the browser. Every value is escaped; a button remains for browsers
 * without script.
 */
export function autoSubmitForm(options: AutoSubmitFormOptions): string {
  const inputs = Object.entries(options.params)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('')
  const nonce = options.nonce ? ` nonce="${escapeHtml(options.nonce)}"` : ''
  return (
    `<form id="alipaysubmit" name="alipaysubmit" action="${escapeHtml(options.action)}" method="post" accept-charset="${escapeHtml(options.charset)}">` +
    `${inputs}<noscript><button type="submit">Continue to Alipay / 前往支付宝</button></noscript></form>` +
    `<script${nonce}>document.forms.alipaysubmit.submit();</script>`
  )
}
