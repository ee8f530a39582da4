// @alipay-kit/koa: the Alipay BFF as Koa middleware. Every public name is listed here on purpose.

export { type AlipayKitOptions, defaultLogger, REDACTED_PATHS } from './config.js'
export type { Hook, HookEvent, Hooks } from './hooks/hooks.js'
export { HOOK_FOR_EVENT } from './hooks/hooks.js'
export type { Job } from './jobs/job.js'
export type { JobPass } from './jobs/scheduler.js'
export { type AlipayKit, createAlipayKit } from './kit.js'
export { addressKey } from './limits/address-key.js'
export {
  type CatalogProduct,
  catalogPricing,
  type PricedOrder,
  type Pricing,
  type PricingContext,
  PricingError,
} from './pricing.js'
export { migrate } from './store/migrations.js'
export { openStore } from './store/open-store.js'
export { openPgliteStore, type PgliteStoreOptions } from './store/pglite.js'
export { openPostgresStore, type PostgresStoreOptions } from './store/postgres.js'
export type { Queryable, Store } from './store/types.js'
