import type { PayService } from '@alipay-kit/client'
import type { ResolvedConfig } from './config.js'
import type { OrderEvents } from './events/bus.js'
import { legacyGateway } from './gateway/legacy.js'
import { openGateway } from './gateway/open.js'
import type { PaymentGateway } from './gateway/types.js'
import type { Sessions } from './http/session.js'
import type { StatusApplier } from './notify/apply.js'
import type { HookRunner } from './notify/hooks.js'
import type { Pricing } from './pricing.js'
import type { Store } from './store/types.js'

/** Everything a route needs, built once by createAlipayKit. */
export interface KitContext {
  readonly config: ResolvedConfig
  readonly store: Store
  readonly sessions: Sessions
  readonly pricing: Pricing
  readonly hooks: HookRunner
  /** Applies reported statuses (notifications, query answers), batched. */
  readonly applier: StatusApplier
  readonly events: OrderEvents
  /** Open SSE streams, ended when the kit closes. */
  readonly streams: Set<() => void>
  readonly legacy: ReturnType<typeof legacyGateway> | undefined
  readonly open: ReturnType<typeof openGateway> | undefined
  /** Paths of the callbacks Alipay calls, by gateway. */
  readonly urls: {
    notify(kind: 'legacy' | 'open'): string
    paymentReturn(kind: 'legacy' | 'open'): string
  }
}

export function gatewayFor(kit: KitContext, kind: 'legacy' | 'open'): PaymentGateway {
  const gateway = kind === 'legacy' ? kit.legacy : kit.open
  if (!gateway) throw new Error(`The ${kind} gateway is not configured`)
  return gateway
}

export function gatewayKindOf(service: PayService): 'legacy' | 'open' {
  return service === 'page' || service === 'wap' ? 'open' : 'legacy'
}

export function buildGateways(config: ResolvedConfig) {
  return {
    legacy: config.legacy ? legacyGateway(config.legacy, config.fetch) : undefined,
    open: config.open ? openGateway(config.open, config.fetch) : undefined,
  }
}

/** The callback paths, relative to publicUrl. */
export const PATHS = {
  notify: { open: '/alipay/notify', legacy: '/alipay/notify/legacy' },
  paymentReturn: { open: '/alipay/return', legacy: '/alipay/return/legacy' },
  quickLoginReturn: '/alipay/login/return',
  oauthReturn: '/alipay/oauth/return',
  addressReturn: '/alipay/address/return',
} as const
