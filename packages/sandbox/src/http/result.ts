/** What a gateway handler answers; the HTTP layer turns it into a response. */
export type GatewayResult =
  | { readonly kind: 'html'; readonly status: number; readonly body: string }
  | { readonly kind: 'redirect'; readonly url: string }
  | { readonly kind: 'text'; readonly body: string }
  | { readonly kind: 'xml'; readonly body: string }
  | { readonly kind: 'json'; readonly body: string }

/** The buyer's browser session at the simulator (login state). */
export interface BrowserSession {
  buyerId: string | undefined
  loginExpiresAt: number
}

/** A multi-step flow the browser goes through (quick login, address choice, OAuth). */
export type Flow =
  | { readonly kind: 'auth'; readonly returnUrl: string; readonly charset: 'utf-8' | 'gbk' }
  | { readonly kind: 'address'; readonly returnUrl: string; readonly charset: 'utf-8' | 'gbk' }
  | {
      readonly kind: 'oauth'
      readonly redirectUri: string
      readonly state: string | undefined
      readonly scope: string
    }

/** What a gateway handler may touch besides the simulator. */
export interface RequestContext {
  readonly clientIp: string
  readonly session: BrowserSession
  /** Registers a browser flow and returns its id. */
  startFlow(flow: Flow): string
}
