import type { LegacyClient, OpenClient } from '@alipay-kit/core'
import { legacyGateway } from './legacy.js'
import { type OpenGateway, openGateway } from './open.js'
import type { PaymentGateway } from './types.js'

export interface Gateways {
  readonly legacy: PaymentGateway | undefined
  readonly open: OpenGateway | undefined
}

/** The configured gateways, each bound to its checked client and the kit's fetch. */
export function buildGateways(
  clients: { legacy: LegacyClient | undefined; open: OpenClient | undefined },
  doFetch: typeof fetch,
): Gateways {
  return {
    legacy: clients.legacy ? legacyGateway(clients.legacy, doFetch) : undefined,
    open: clients.open ? openGateway(clients.open, doFetch) : undefined,
  }
}
