// @alipay-kit/sandbox: a local Alipay. Every public name is listed here on purpose.

export { SandboxAdmin } from './admin/client.js'
export type { DeliveryView, TradeView } from './admin/views.js'
export { BUYERS, SANDBOX_PASSWORD, type SandboxAddress, type SandboxBuyer } from './buyers.js'
export { type Clock, ManualClock, scaledClock, TestClock } from './clock.js'
export {
  generateCredentials,
  loadOrCreateCredentials,
  type SandboxCredentials,
} from './credentials.js'
export { FAULT_NAMES, type Faults } from './faults.js'
export { RETRY_DELAYS_MS } from './notify/schedule.js'
export { persistState } from './persistence.js'
export {
  createSandboxApp,
  type RunningSandbox,
  type SandboxOptions,
  startSandbox,
} from './server.js'
export {
  ActionError,
  MERCHANT_SERVICES,
  Simulator,
  type SimulatorSnapshot,
  type TradeAction,
} from './simulator.js'
