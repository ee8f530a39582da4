// @alipay-kit/testing: the helpers several packages' tests share (private, never published).

export { TestBrowser } from './browser.js'
export {
  api,
  type Bff,
  type Harness,
  type HookLog,
  LogCapture,
  MERCHANT_SECRET,
  PRODUCTS,
  recordingHooks,
  SAMPLE_ADDRESS,
  startBff,
  startHarness,
} from './harness.js'
export { openTestStore, testPgliteDir } from './pglite-dirs.js'
export { ADMIN_URL, createTestDatabase } from './postgres.js'
export { secretsInLogs } from './secrets.js'
export { Shopper } from './shopper.js'
export { openEventStream } from './sse.js'
export { storesUnderTest } from './stores.js'
export {
  type ReceiverMode,
  startWebhookReceiver,
  WEBHOOK_SECRET,
  type WebhookReceiver,
} from './webhook-receiver.js'
