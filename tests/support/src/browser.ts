/**
 * A small browser over fetch for flows that cross the BFF and the simulator: a cookie jar per host
 * (both run on 127.0.0.1, as a real browser would share them), redirects followed everywhere, and
 * Alipay's auto-submitting forms submitted. Enough to log in, pick an address and pay like a buyer.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>()
  /** The last page's URL and body. */
  url = ''
  html = ''
  status = 0
  readonly visited: string[] = []

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)
  }

  private cookieHeader(url: URL): string {
    return [...(this.jar.get(url.hostname) ?? new Map())].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at).trim()
      const value = pair.slice(at + 1).trim()
      const jar = this.jar.get(url.hostname) ?? new Map<string, string>()
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name)
      else jar.set(name, value)
      this.jar.set(url.hostname, jar)
    }
  }

  /** One request with the browser's cookies (as the SPA's fetch would send), remembering new ones. */
  async fetch(
    url: string,
    init: RequestInit & { headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url)
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, cookie: this.cookieHeader(target) },
    })
    this.remember(target, response)
    return response
  }

  /** Opens a URL, following redirects and auto-posting forms, until a page that asks for a person. */
  async open(
    target: string,
    init: {
      method?: string
      body?: string
      headers?: Record<string, string>
      stopAt?: (url: URL) => boolean
    } = {},
  ): Promise<this> {
    let url = new URL(target, this.url || undefined)
    let method = init.method ?? 'GET'
    let body = init.body
    for (let hop = 0; hop < 20; hop++) {
      if (init.stopAt?.(url)) {
        this.url = url.href
        return this
      }
      this.visited.push(`${method} ${url.href}`)
      const response = await fetch(url, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.cookieHeader(url),
          ...(body !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...init.headers,
        },
        body: body ?? null,
      })
      this.remember(url, response)
      this.status = response.status
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url)
        method = 'GET'
        body = undefined
        continue
      }
      this.url = url.href
      this.html = await response.text()
      // Alipay hands some answers back with a form that submits itself.
      const auto =
        /<form id="(?:back|alipaysubmit)"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(
          this.html,
        )
      if (auto && /\.submit\(\)/.test(this.html)) {
        url = new URL(unescapeHtml(auto[1] as string), url)
        method = 'POST'
        body = new URLSearchParams(fieldsOf(auto[2] as string)).toString()
        continue
      }
      return this
    }
    throw new Error(`too many redirects from ${target}`)
  }

  /** Submits a form of the current page by its action path, with the fields given. */
  submit(
    action: string,
    fields: Record<string, string> = {},
    stopAt?: (url: URL) => boolean,
  ): Promise<this> {
    return this.open(new URL(unescapeHtml(action), this.url).href, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      ...(stopAt ? { stopAt } : {}),
    })
  }

  /**
   * Logs in on the simulator's login page the browser is on. With `stopAt`, the redirects stop
   * at the first URL it accepts (an attacker keeping a signed return instead of following it).
   */
  logIn(
    userId = '2088102000000001',
    password = '111111',
    stopAt?: (url: URL) => boolean,
  ): Promise<this> {
    const next = /name="next" value="([^"]*)"/.exec(this.html)?.[1]
    if (next === undefined)
      throw new Error(`not on the login page: ${this.url}\n${this.html.slice(0, 300)}`)
    return this.submit('/login', { user_id: userId, password, next: unescapeHtml(next) }, stopAt)
  }

  /** Pays on the simulator's cashier page the browser is on. */
  pay(choice?: 'escrow' | 'instant'): Promise<this> {
    const action = /action="(\/cashier\/\d+\/pay)"/.exec(this.html)?.[1]
    if (!action) throw new Error(`not on the cashier: ${this.url}\n${this.html.slice(0, 300)}`)
    return this.submit(action, choice ? { choice } : {})
  }

  /** Follows the simulator's "back to the shop" link after paying. */
  back(): Promise<this> {
    const href = /id="return" href="([^"]+)"/.exec(this.html)?.[1]
    if (!href) throw new Error('no return link on the page')
    return this.open(unescapeHtml(href))
  }
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

function fieldsOf(formHtml: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const match of formHtml.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields[unescapeHtml(match[1] as string)] = unescapeHtml(match[2] as string)
  return fields
}
