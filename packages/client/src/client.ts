import type {
  AddressView,
  CartView,
  CreateOrderInput,
  CreateOrderResult,
  LoginMethod,
  OrderItemInput,
  OrderView,
  QrStart,
  SessionView,
} from './contract.js'
import { type ClientOptions, createRequester } from './request.js'
import { pathTo, ROUTES } from './routes.js'
import type { PayService } from './services.js'

/** The BFF's HTTP API, typed. Every call sends the session cookie and the CSRF header. */
export interface AlipayKitClient {
  readonly baseUrl: string
  session(): Promise<SessionView>
  logout(): Promise<void>
  /** Where to send the browser to log in; it comes back to `returnTo` (a path or an allowed URL). */
  loginUrl(returnTo: string, via?: LoginMethod): string
  /** Where to send the browser to pick an address at Alipay (needs a quick login). */
  addressSelectUrl(returnTo: string): string
  selectedAddress(): Promise<AddressView | null>
  createOrder<S extends PayService>(
    input: CreateOrderInput<S>,
    init?: { signal?: AbortSignal },
  ): Promise<CreateOrderResult<S>>
  order(id: string, accessToken?: string, init?: { signal?: AbortSignal }): Promise<OrderView>
  orders(): Promise<OrderView[]>
  /**
   * A new QR code for an unpaid `qr` order whose code expired: the same trade at Alipay, so the
   * buyer can never pay twice (409 once the order is paid, closed or out of time).
   */
  refreshQrCode(id: string, accessToken?: string): Promise<QrStart>
  /** The SSE stream of an order's status (`status` events carrying an OrderView). */
  orderEventsUrl(id: string, accessToken?: string): string
  cart(): Promise<CartView>
  saveCart(items: readonly OrderItemInput[]): Promise<CartView>
}

/**
 * A typed client for the BFF's HTTP API.
 *
 * @example
 * const api = createAlipayKitClient({ baseUrl: '' })
 * const { user } = await api.session()
 */
export function createAlipayKitClient(options: ClientOptions = {}): AlipayKitClient {
  const { baseUrl, call } = createRequester(options)
  const withToken = (path: string, accessToken?: string) =>
    accessToken ? `${path}?token=${encodeURIComponent(accessToken)}` : path

  return {
    baseUrl,
    session: () => call('GET', ROUTES.session),
    logout: () => call('POST', ROUTES.logout),
    loginUrl: (returnTo, via) =>
      `${baseUrl}${ROUTES.login}?returnTo=${encodeURIComponent(returnTo)}${via ? `&via=${via}` : ''}`,
    addressSelectUrl: (returnTo) =>
      `${baseUrl}${ROUTES.addressSelect}?returnTo=${encodeURIComponent(returnTo)}`,
    selectedAddress: async () =>
      (await call<{ address: AddressView | null }>('GET', ROUTES.addressSelected)).address,
    createOrder: (input, init) => call('POST', ROUTES.orders, input, init?.signal),
    order: (id, accessToken, init) =>
      call('GET', withToken(pathTo(ROUTES.order, { id }), accessToken), undefined, init?.signal),
    orders: async () => (await call<{ orders: OrderView[] }>('GET', ROUTES.orders)).orders,
    refreshQrCode: (id, accessToken) =>
      call('POST', withToken(pathTo(ROUTES.orderQr, { id }), accessToken), {}),
    orderEventsUrl: (id, accessToken) =>
      `${baseUrl}${withToken(pathTo(ROUTES.orderEvents, { id }), accessToken)}`,
    cart: () => call('GET', ROUTES.cart),
    saveCart: (items) => call('PUT', ROUTES.cart, { items }),
  }
}
