/** Where Alipay calls the BFF back, relative to publicUrl: notifications and the buyer's returns. */
export const PATHS = {
  notify: { open: '/alipay/notify', legacy: '/alipay/notify/legacy' },
  paymentReturn: { open: '/alipay/return', legacy: '/alipay/return/legacy' },
  quickLoginReturn: '/alipay/login/return',
  /** The page that asks a buyer to confirm a login etao started (docs/security.md, "Login CSRF"). */
  quickLoginConfirm: '/alipay/login/confirm',
  oauthReturn: '/alipay/oauth/return',
  addressReturn: '/alipay/address/return',
} as const
