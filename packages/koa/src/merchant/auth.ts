import { requireBearer } from '../http/bearer.js'

/** Merchant API authentication: `Authorization: Bearer <merchantApiSecret>`, compared in constant time. */
export function requireMerchant(secret: string) {
  return requireBearer(secret, 'merchant API secret')
}
