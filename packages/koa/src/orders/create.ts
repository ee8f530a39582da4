import {
  type AddressInput,
  type AddressView,
  type CreateOrderResult,
  type OrderItemInput,
  PAY_SERVICES,
  type PayService,
} from '@alipay-kit/client'
import {
  AlipayInputError,
  initialPaymentState,
  MAX_TRADE_FEN,
  type PaymentMode,
} from '@alipay-kit/core'
import { gatewayFor, gatewayOfService, type KitContext } from '../context.js'
import { ApiError } from '../http/errors.js'
import { hashSecret, newSecret } from '../http/secrets.js'
import { type SessionData, tokenValid } from '../http/session.js'
import { PricingError } from '../pricing.js'
import { insertOrder } from '../repositories/orders.js'
import { newOrderId } from './order-id.js'
import { toOrderView } from './view.js'

/** How the buyer pays, where the service decides it; the dual interface leaves it to the buyer. */
function modeOf(service: PayService): PaymentMode | undefined {
  const mode = PAY_SERVICES[service].mode
  return mode === 'buyer-chooses' ? undefined : mode
}

function sameAddress(a: Omit<AddressInput, 'postcode'>, b: AddressView | undefined): boolean {
  return (
    b !== undefined &&
    a.recipient === b.recipient &&
    a.street === b.street &&
    a.province.name === b.province.name &&
    a.district.name === b.district.name
  )
}

/** Refuses a service this shop does not offer, naming those it does. */
export function assertOffered(kit: KitContext, service: PayService): void {
  if (!kit.config.services.includes(service))
    throw new ApiError(
      400,
      'SERVICE_UNAVAILABLE',
      `This shop does not offer "${service}"; it offers ${kit.config.services.join(', ')}`,
      'service',
    )
}

/**
 * Creates an order for a buyer's session: priced by the merchant's catalog (never the browser's
 * numbers), its payment signed (or, for a QR code, created at Alipay) before anything is stored,
 * so a refused request leaves no half-written order. `buyerIp` is Koa's `ctx.ip` (anti-phishing).
 */
export async function createOrder(
  kit: KitContext,
  session: { readonly hash: string; readonly data: SessionData },
  buyerIp: string,
  input: {
    readonly items: readonly OrderItemInput[]
    readonly service: PayService
    readonly address?:
      | (Omit<AddressInput, 'postcode'> & { postcode?: string | null | undefined })
      | undefined
  },
): Promise<CreateOrderResult> {
  assertOffered(kit, input.service)
  const member = session.data.member
  let priced: Awaited<ReturnType<KitContext['pricing']>>
  try {
    priced = await kit.pricing(input.items, { service: input.service, userId: member?.userId })
  } catch (error) {
    if (error instanceof PricingError)
      throw new ApiError(400, 'PRICING', error.message, error.field)
    throw error
  }
  if (
    !Number.isSafeInteger(priced.totalFen) ||
    priced.totalFen <= 0 ||
    priced.totalFen > MAX_TRADE_FEN
  )
    throw new AlipayInputError(
      'pricing',
      `returned an impossible total ${priced.totalFen} fen; it must be whole fen in (0, ${MAX_TRADE_FEN}]`,
    )
  // Goods that ship need somewhere to go, whatever the service; virtual goods need nothing.
  if (
    PAY_SERVICES[input.service].shipping === 'by-items' &&
    priced.ships === true &&
    !input.address
  )
    throw new ApiError(
      400,
      'ADDRESS_REQUIRED',
      `${priced.subject} is shipped: give a delivery address (recipient, phone, region, street) with the order`,
      'address',
    )
  const address: AddressView | null = input.address
    ? {
        ...input.address,
        postcode: input.address.postcode ?? null,
        source: sameAddress(input.address, session.data.address) ? 'alipay' : 'manual',
        confidence: session.data.address?.confidence ?? 'exact',
      }
    : null
  const gateway = gatewayOfService(input.service)
  const id = newOrderId()
  // The payment's expiry, sent to Alipay with it; the sweep asks Alipay on its schedule until then.
  const now = kit.config.clock()
  const createdAt = new Date(now)
  const expiresAt = new Date(now + kit.config.paymentExpiryMinutes * 60_000)
  const sweepAt = new Date(now + (kit.config.sweepScheduleMinutes[0] ?? 1) * 60_000)
  let payment: CreateOrderResult['payment']
  try {
    payment = await gatewayFor(kit, gateway).startPayment(
      {
        id,
        service: input.service,
        subject: priced.subject,
        amountFen: priced.totalFen,
        tradeNo: null,
        address,
        expiresAt,
        payableMinutes: kit.config.paymentExpiryMinutes,
      },
      kit.callbacks(gateway),
      {
        token: member?.via === 'quick_login' && tokenValid(member) ? member.token : undefined,
        ip: buyerIp,
      },
    )
  } catch (error) {
    if (error instanceof AlipayInputError)
      throw new ApiError(400, 'INVALID_INPUT', error.message, error.field)
    throw error
  }
  const accessToken = newSecret(24)
  const row = await insertOrder(kit.store, {
    id,
    accessTokenHash: hashSecret(accessToken),
    gateway,
    service: input.service,
    userId: member?.userId,
    sessionHash: session.hash,
    subject: priced.subject,
    amountFen: priced.totalFen,
    items: [...priced.lines],
    address,
    state: initialPaymentState(modeOf(input.service)),
    createdAt,
    expiresAt,
    sweepAt,
  })
  kit.config.logger.info(
    { order: { id, service: input.service, amountFen: priced.totalFen } },
    'order created',
  )
  return { order: toOrderView(row), accessToken, payment }
}
