/**
 * A minimal browser over fetch: keeps the simulator's cookie, follows redirects inside the
 * simulator, and stops at the first redirect that leaves it (to the merchant), returning that URL.
 */
export class Browser {
  private cookie = ''
  /** The last page's HTML. */
  html = ''
  status = 0

  constructor(readonly origin: string) {}

  async open(
    url: string,
    init: { method?: string; body?: string; contentType?: string } = {},
  ): Promise<{ leftTo: string | undefined }> {
    let target = new URL(url, this.origin).toString()
    let method = init.method ?? 'GET'
    let body: string | undefined = init.body
    for (let hop = 0; hop < 10; hop++) {
      const response = await fetch(target, {
        method,
        redirect: 'manual',
        headers: {
          cookie: this.cookie,
          ...(body !== undefined
            ? { 'content-type': init.contentType ?? 'application/x-www-form-urlencoded' }
            : {}),
        },
        body: body ?? null,
      })
      const setCookie = response.headers.get('set-cookie')
      if (setCookie) this.cookie = setCookie.split(';')[0] ?? ''
      this.status = response.status
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, target)
        if (next.origin !== new URL(this.origin).origin) return { leftTo: next.toString() }
        target = next.toString()
        method = 'GET'
        body = undefined
        continue
      }
      this.html = await response.text()
      return { leftTo: undefined }
    }
    throw new Error('too many redirects')
  }

  /** Submits a form on the simulator. */
  post(path: string, fields: Record<string, string>) {
    return this.open(path, { method: 'POST', body: new URLSearchParams(fields).toString() })
  }

  /** Logs in as a simulated buyer from the login page the browser is on, continuing where it leads. */
  async logIn(userId = '2088102000000001', password = '111111') {
    const next = /name="next" value="([^"]*)"/.exec(this.html)?.[1]?.replace(/&amp;/g, '&') ?? '/'
    return this.post('/login', { user_id: userId, password, next })
  }

  /** Pays on the cashier page the browser is on. */
  async payAt(tradePath: string, choice?: 'escrow' | 'instant') {
    return this.post(`${tradePath}/pay`, choice ? { choice } : {})
  }
}
