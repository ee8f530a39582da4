// @alipay-kit/core: the Alipay protocol, with no I/O. Every public name is listed here on purpose.

export {
  catalogCodes,
  type ExplainedError,
  explainAlipayError,
  type GatewayAnswer,
  type Locale,
} from './catalog/lookup.js'
export { parseReceiveAddress, type ReceiveAddress } from './legacy/address.js'
export { type LegacyAnswer, parseLegacyAnswer } from './legacy/answer.js'
export { createLegacyClient, type LegacyClient } from './legacy/client.js'
export {
  createLegacyConfig,
  LEGACY_PRODUCTION_GATEWAY,
  type LegacyConfig,
  type LegacyConfigInput,
} from './legacy/config.js'
export { LEGACY_UNSIGNED, legacySignString, md5Sign, md5Verify } from './legacy/md5.js'
export {
  isNotifyVerified,
  type LegacyRequest,
  notifyVerifyUrl,
  signLegacyRequest,
} from './legacy/request.js'
export {
  type AddressQueryInput,
  addressQuery,
  type CloseTradeInput,
  closeTrade,
  type DigitalGoodsPayInput,
  type DirectPayInput,
  type DonatePayInput,
  type DualPayInput,
  digitalGoodsPay,
  directPay,
  donatePay,
  dualPay,
  type EscrowPayInput,
  escrowPay,
  type LogisticsGroup,
  type QuickLoginInput,
  queryTimestamp,
  quickLogin,
  type RefundInput,
  refundWithoutPassword,
  refundWithPassword,
  type SendGoodsInput,
  sendGoods,
  tradeQuery as legacyTradeQuery,
} from './legacy/services.js'
export { type AmountCheck, type ChargedAmount, explainAmount } from './notify/amount.js'
export { type FormParseResult, parseNotificationBody } from './notify/form.js'
export { parseRefundBatch } from './notify/refund-batch.js'
export type {
  AlipayNotification,
  NotificationRejection,
  NotificationResult,
  RefundBatchNotification,
  RefundResultLine,
  RejectionCode,
  TradeNotification,
} from './notify/types.js'
export {
  checkNotificationAgainstOrder,
  type OrderFacts,
  type RawNotification,
  type SignedParamsResult,
  verifyLegacyNotification,
  verifyLegacyNotificationWithGateway,
  verifyLegacySignedParams,
  verifyLegacySignedParamsWithGateway,
  verifyOpenNotification,
  verifyOpenSignedParams,
} from './notify/verify.js'
export { certificateSn, rootCertificateSn, splitPemBundle } from './open/cert.js'
export { createOpenClient, type OpenClient } from './open/client.js'
export {
  createOpenConfig,
  OPEN_PRODUCTION_AUTHORIZE_URL,
  OPEN_PRODUCTION_GATEWAY,
  type OpenConfig,
  type OpenConfigInput,
} from './open/config.js'
export { type KeyInput, parsePrivateKey, parsePublicKey } from './open/keys.js'
export { type OpenRequest, type OpenRequestOptions, signOpenRequest } from './open/request.js'
export { type OpenResponse, verifyOpenResponse } from './open/response.js'
export {
  openSignString,
  type RsaSignType,
  rsaSignParams,
  rsaSignString,
  rsaVerifyString,
} from './open/rsa.js'
export {
  type AuthorizeInput,
  appPayOrderString,
  oauthAuthorizeUrl,
  oauthToken,
  type PagePayBiz,
  type PayOptions,
  type PrecreateBiz,
  pagePay,
  precreate,
  type RefundBiz,
  refundQuery,
  type TradeRef,
  tradeClose,
  tradeQuery,
  tradeRefund,
  userInfoShare,
  wapPay,
} from './open/services.js'
export { chinaTimestamp, parseChinaTimestamp } from './open/timestamp.js'
export { parseTradeBill, type TradeBill, type TradeBillLine } from './open/trade-bill.js'
export {
  type Division,
  type DivisionTree,
  divisionTree,
  MUNICIPALITY_CODES,
} from './regions/divisions.js'
export { englishRegionNames } from './regions/english.js'
export {
  type MatchConfidence,
  type MatchMethod,
  matchRegion,
  type RegionMatch,
  type RegionNames,
} from './regions/match.js'
export { coreName } from './regions/names.js'
export { isAlipayHost } from './shared/alipay-host.js'
export { type AlipayParams, canonicalString } from './shared/canonical.js'
export { type AlipayCharset, normalizeCharset, percentEncode } from './shared/charset.js'
export {
  AlipayConfigError,
  AlipayGatewayError,
  AlipayInputError,
  AlipayKeyError,
  AlipayKitError,
  type AlipayKitErrorCode,
  AlipayResponseError,
  isAlipayKitError,
  StoreUnavailableError,
} from './shared/errors.js'
export {
  type Fen,
  formatYuan,
  MAX_TRADE_FEN,
  parseSignedYuan,
  parseYuan,
  toFen,
} from './shared/money.js'
export {
  type AmountAdjustment,
  type Decision,
  decideTransition,
  initialPaymentState,
  PAYMENT_EVENTS,
  type PaymentEvent,
  type PaymentEventOccurrence,
  type PaymentMode,
  type PaymentState,
  type RefundFailure,
  type Review,
  refundedAtLeast,
  type StatusReport,
} from './state/machine.js'
export {
  isRefundStatus,
  isTradeStatus,
  PAID_STATUSES,
  REFUND_STATUSES,
  type RefundStatus,
  TRADE_STATUSES,
  type TradeStatus,
} from './state/statuses.js'
