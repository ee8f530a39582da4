import type { LegacyClient, OpenClient } from '@alipay-kit/core'
import { type LegacyGateway, legacyGateway } from './legacy.js'
import { type OpenGateway, openGateway } from './open.js'

export interface Gateways {
  readonly legacy: LegacyGateway | undefined
  readonly open: OpenGateway | undefined
}

/** The configured gateways, each bound to its checked client and the kit's fetch. */
export function buildGateways(
  clients: { legacy: LegacyClient | undefined; open: OpenClient | undefined },
  doFetch: typeof fetch,
  options: { readonly antiPhishing: boolean; readonly itBPay: boolean },
): Gateways {
  return {
    legacy: clients.legacy ? legacyGateway(clients.legacy, doFetch, options) : undefined,
    open: clients.open ? openGateway(clients.open, doFetch) : undefined,
  }
}
