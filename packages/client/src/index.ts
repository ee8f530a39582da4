// @alipay-kit/client: the BFF's HTTP contract and a typed fetch client. Every public name is listed here on purpose.

export { type AlipayKitClient, createAlipayKitClient } from './client.js'
export {
  type AddressInput,
  type AddressLines,
  type AddressView,
  type ApiErrorBody,
  type CartView,
  type CreateOrderInput,
  type CreateOrderResult,
  CSRF_HEADER,
  type ErrorExplanation,
  type HealthView,
  LEGACY_SERVICES,
  type LegacyService,
  type Locale,
  type LoginMethod,
  type MerchantOrderView,
  type NotificationLogEntry,
  type NotificationOutcome,
  OPEN_SERVICES,
  type OpenService,
  ORDER_PHASES,
  type OrderItemInput,
  type OrderLine,
  type OrderPhase,
  type OrderView,
  type PaymentStart,
  type PayService,
  type RefundInput,
  type RegionConfidence,
  type RegionPart,
  type SessionUser,
  type SessionView,
  type ShipInput,
} from './contract.js'
export { createMerchantClient, type MerchantClient } from './merchant.js'
export { AlipayKitApiError, type ClientOptions } from './request.js'
