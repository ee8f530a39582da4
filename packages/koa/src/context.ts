import { type Gateway, PAY_SERVICES, type PayService } from '@alipay-kit/client'
import { AlipayKitError } from '@alipay-kit/core'
import type { Middleware } from 'koa'
import type { ResolvedConfig } from './config.js'
import type { OrderEvents } from './events/bus.js'
import type { Gateways } from './gateway/build.js'
import type { CallbackUrls, PaymentGateway } from './gateway/types.js'
import type { HookRunner } from './hooks/runner.js'
import type { Sessions } from './http/session.js'
import type { StreamCaps } from './limits/stream-caps.js'
import type { KitMetrics } from './metrics/kit-metrics.js'
import type { Pricing } from './pricing.js'
import type { StatusApplier } from './status/applier.js'
import type { Store } from './store/types.js'

/** Everything a route, a job or a status handler needs, built once by createAlipayKit. */
export interface KitContext {
  readonly config: ResolvedConfig
  readonly store: Store
  readonly sessions: Sessions
  readonly pricing: Pricing
  readonly hooks: HookRunner
  /** Applies reported statuses (notifications, returns' queries, the BFF's own queries), batched. */
  readonly applier: StatusApplier
  readonly events: OrderEvents
  /** The kit's Prometheus metrics (src/metrics). */
  readonly metrics: KitMetrics
  /** Per-client limits (src/limits): route middleware, pass-through when limits are off. */
  readonly limits: {
    readonly orders: Middleware
    readonly logins: Middleware
    readonly api: Middleware
    readonly streams: StreamCaps | undefined
  }
  /** Open SSE streams, ended when the kit closes. */
  readonly streams: Set<() => void>
  readonly gateways: Gateways
  /** The callback URLs Alipay is given, by gateway. */
  callbacks(gateway: Gateway): CallbackUrls
}

/** The gateway of a configured kind; a kit without it cannot have stored an order of it. */
export function gatewayFor(kit: KitContext, kind: Gateway): PaymentGateway {
  const gateway = kit.gateways[kind]
  if (!gateway) throw new AlipayKitError('INVALID_CONFIG', `The ${kind} gateway is not configured`)
  return gateway
}

/** The gateway a service pays through, from the services registry. */
export function gatewayOfService(service: PayService): Gateway {
  return PAY_SERVICES[service].gateway
}
