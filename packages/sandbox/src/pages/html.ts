/** Markup that is already safe: produced by {@link html}. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === undefined || value === null || value === false) return ''
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

/** A template tag that escapes every interpolated value unless it is already Html. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(
    strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''),
  )
}

const STYLE = `
:root { --blue: #1677ff; font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; }
body { margin: 0; background: #f5f7fa; }
header { background: var(--blue); color: #fff; padding: 12px 24px; font-weight: 600; }
main { max-width: 720px; margin: 24px auto; background: #fff; padding: 24px; border-radius: 8px; }
button, .button { background: var(--blue); color: #fff; border: 0; border-radius: 4px; padding: 10px 20px; font-size: 16px; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary { background: #fff; color: var(--blue); border: 1px solid var(--blue); }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 3px solid #ffb020; outline-offset: 2px; }
fieldset { border: 1px solid #d9d9d9; border-radius: 4px; margin: 0 0 16px; }
label { display: block; margin: 6px 0; }
.error { color: #cf1322; background: #fff1f0; border: 1px solid #ffa39e; padding: 8px 12px; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #f0f0f0; }
.amount { font-size: 28px; color: #cf1322; }
.actions form { display: inline-block; margin: 4px 8px 4px 0; }
`

/** A whole page in Alipay's colours, with a landmark, a heading and a language. */
export function page(
  title: string,
  content: Html,
  options: { refresh?: { seconds: number; url: string } } = {},
): string {
  const refresh = options.refresh
    ? html`<meta http-equiv="refresh" content="${options.refresh.seconds};url=${options.refresh.url}">`
    : ''
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 支付宝 (alipay-kit sandbox)</title>${refresh}<style>${new Html(STYLE)}</style></head>
<body><header>支付宝 · alipay-kit sandbox</header><main><h1>${title}</h1>${content}</main></body></html>`
    .text
}
