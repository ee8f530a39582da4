'use client'

// @alipay-kit/react: Alipay's buttons, an address picker and a live payment status for React 18
// and 19. Every public name is listed here on purpose. Styles: import '@alipay-kit/react/styles.css'.

export { type AddressPickerProps, AlipayAddressPicker } from './address-picker.js'
export {
  type AddressErrors,
  type AddressField,
  type AddressValue,
  EMPTY_ADDRESS,
  toAddressInput,
  validateAddress,
} from './address-value.js'
export { AlipayLoginButton, type AlipayLoginButtonProps } from './login-button.js'
export { MESSAGES, type Messages } from './messages.js'
export { orderToken, rememberOrderToken } from './order-tokens.js'
export { AlipayPayButton, type AlipayPayButtonProps, type PayButtonService } from './pay-button.js'
export { PaymentStatus, type PaymentStatusProps } from './payment-status.js'
export {
  type AlipayKitContextValue,
  AlipayProvider,
  type AlipayProviderProps,
  type AlipayTheme,
  browserNavigator,
  type Navigator,
  useAlipayKit,
} from './provider.js'
export { AlipayQrCode, type AlipayQrCodeProps } from './qr-code.js'
export {
  type AlipaySessionState,
  AlipayUserBadge,
  type AlipayUserBadgeProps,
  useAlipaySession,
} from './session.js'
export {
  type PaymentStatusOptions,
  type PaymentStatusState,
  type Transport,
  usePaymentStatus,
} from './use-payment-status.js'
