// @alipay-kit/client: the BFF's HTTP contract, the payment services, a typed fetch client and a
// framework-free payment-status observer. Every public name is listed here on purpose.

export { type AlipayKitClient, createAlipayKitClient } from './client.js'
export type {
  AddressInput,
  AddressLines,
  AddressView,
  ApiErrorBody,
  CartView,
  CashierStart,
  CreateOrderInput,
  CreateOrderResult,
  ErrorExplanation,
  EventFeedPage,
  HealthView,
  Locale,
  LoginMethod,
  MerchantOrderView,
  NotificationLogEntry,
  NotificationOutcome,
  OrderItemInput,
  OrderLine,
  OrderPhase,
  OrderView,
  PaymentStart,
  PaymentStartOf,
  QrStart,
  ReconciliationView,
  RefundInput,
  RegionConfidence,
  RegionPart,
  SessionUser,
  SessionView,
  ShipInput,
  WebhookDeliveryView,
} from './contract.js'
export { CSRF_HEADER, ORDER_PHASES } from './contract.js'
export { createMerchantClient, type Idempotent, type MerchantClient } from './merchant.js'
export {
  browserPage,
  createPaymentStatusObserver,
  type EventSourceConstructor,
  type EventSourceLike,
  type PageEnvironment,
  type PaymentStatusObserver,
  type PaymentStatusOptions,
  type PaymentStatusSnapshot,
  type Transport,
} from './payment-status.js'
export { AlipayKitApiError, type ClientOptions } from './request.js'
export { ORDER_STREAM_EVENTS, pathTo, QUERY_KEYS, ROUTES } from './routes.js'
export {
  type AlipayPayName,
  type CashierService,
  type Gateway,
  isPayService,
  LEGACY_SERVICES,
  type LegacyService,
  OPEN_SERVICES,
  type OpenService,
  PAY_SERVICE_NAMES,
  PAY_SERVICES,
  type PaymentStartKind,
  type PayService,
  type PayServiceSpec,
  type ServiceOn,
  type ServiceStarting,
  serviceForAlipayName,
  servicesOn,
} from './services.js'
export {
  signWebhook,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookEvent,
  type WebhookFailure,
  WebhookVerificationError,
} from './webhook.js'
