import type {
  AddressView,
  ApiErrorBody,
  CreateOrderResult,
  OrderPhase,
  OrderView,
  QrStart,
  SessionView,
} from '@alipay-kit/client'
import { PAY_SERVICE_NAMES, PAY_SERVICES } from '@alipay-kit/client'
import { delay, HttpResponse, http } from 'msw'

/*
 * The BFF, mocked with MSW for Storybook: each story picks the answers it shows. The shapes are
 * the contract's own types, so a change to the BFF's answers breaks these mocks at compile time.
 */

export const ORDER_ID = 'AK20261125STORYBOOK01'

const services: SessionView['services'] = PAY_SERVICE_NAMES.filter(
  (name) => PAY_SERVICES[name].offeredByDefault,
)

export const anonymous: SessionView = {
  user: null,
  services,
  loginMethods: ['quick_login', 'oauth'],
  alipayOnly: false,
}
export const loggedIn: SessionView = {
  user: {
    userId: '2088102000000001',
    realName: '张三',
    displayName: '支付宝用户张三',
    via: 'quick_login',
    tokenValid: true,
  },
  services,
  loginMethods: ['quick_login', 'oauth'],
  alipayOnly: true,
}

export function orderIn(phase: OrderPhase, extra: Partial<OrderView> = {}): OrderView {
  const paid = !['waiting', 'closed', 'review'].includes(phase)
  return {
    id: ORDER_ID,
    phase,
    final: ['closed', 'finished', 'refunded'].includes(phase),
    tradeStatus: {
      waiting: 'WAIT_BUYER_PAY',
      paid: 'WAIT_SELLER_SEND_GOODS',
      shipped: 'WAIT_BUYER_CONFIRM_GOODS',
      finished: 'TRADE_FINISHED',
      closed: 'TRADE_CLOSED',
      refund_requested: 'WAIT_SELLER_SEND_GOODS',
      refund_refused: 'WAIT_SELLER_SEND_GOODS',
      refund_in_progress: 'WAIT_BUYER_CONFIRM_GOODS',
      refunded: 'TRADE_CLOSED',
      review: 'WAIT_BUYER_PAY',
    }[phase],
    refundStatus:
      {
        refund_requested: 'WAIT_SELLER_AGREE',
        refund_refused: 'SELLER_REFUSE_BUYER',
        refund_in_progress: 'WAIT_BUYER_RETURN_GOODS',
        refunded: 'REFUND_SUCCESS',
      }[phase as string] ?? null,
    paid,
    shipped: ['shipped', 'finished', 'refund_in_progress'].includes(phase),
    mode: 'escrow',
    service: 'escrow',
    gateway: 'legacy',
    subject: '西湖龙井 250g ×1',
    amount: '168.00',
    amountFen: 16800,
    refunded: phase === 'refunded' ? '168.00' : '0.00',
    adjustment: null,
    review: null,
    refundFailures: [],
    items: [{ sku: 'longjing-250g', name: '西湖龙井 250g', quantity: 1, price: '168.00' }],
    address: null,
    tradeNo: paid ? '2026112522000000000100001' : null,
    confirming: false,
    createdAt: '2026-11-25T02:00:00.000Z',
    expiresAt: '2026-11-25T02:30:00.000Z',
    paidAt: paid ? '2026-11-25T02:01:00.000Z' : null,
    updatedAt: '2026-11-25T02:05:00.000Z',
    ...extra,
  }
}

export const alipayAddress: AddressView = {
  recipient: '张三',
  phone: '13800000001',
  province: { name: '上海市', code: '31' },
  city: { name: '市辖区', code: '3101' },
  district: { name: '浦东新区', code: '310115' },
  street: '世纪大道100号',
  postcode: '200120',
  source: 'alipay',
  confidence: 'normalized',
}

const created: CreateOrderResult = {
  order: orderIn('waiting'),
  accessToken: 'storybook-access-token-0000000000',
  payment: {
    kind: 'cashier',
    url: 'https://openapi.alipay.com/gateway.do?method=alipay.trade.page.pay',
    form: {
      action: 'https://openapi.alipay.com/gateway.do?charset=utf-8',
      charset: 'utf-8',
      fields: { method: 'alipay.trade.page.pay' },
    },
  },
}

const pricingError: ApiErrorBody = {
  error: {
    code: 'PRICING',
    message: 'Unknown product "caviar"',
    field: 'items.0.sku',
    'zh-CN': { cause: '商品或数量有误', fix: '刷新商品列表后重新下单' },
    en: {
      cause: 'An item or quantity is not available',
      fix: 'Reload the catalog and order again',
    },
  },
}

export const handlers = {
  session: (session: SessionView) => http.get('*/api/session', () => HttpResponse.json(session)),
  logout: http.post('*/api/logout', () => new HttpResponse(null, { status: 204 })),
  created: http.post('*/api/orders', () => HttpResponse.json(created, { status: 201 })),
  creating: http.post('*/api/orders', async () => {
    await delay('infinite')
    return HttpResponse.json(created, { status: 201 })
  }),
  pricingError: http.post('*/api/orders', () => HttpResponse.json(pricingError, { status: 400 })),
  order: (order: OrderView) => http.get('*/api/orders/:id', () => HttpResponse.json(order)),
  /** The browser's EventSource gets a refusal, so the status falls back to polling. */
  noEvents: http.get('*/api/orders/:id/events', () => new HttpResponse(null, { status: 503 })),
  /** A qr order's code refreshed (POST /api/orders/:id/qr): the same trade, a new code. */
  qrRefreshed: (qr: QrStart) => http.post('*/api/orders/:id/qr', () => HttpResponse.json(qr)),
  qrRefreshRefused: http.post('*/api/orders/:id/qr', () =>
    HttpResponse.json(
      {
        error: {
          code: 'CONFLICT',
          message: `Order ${ORDER_ID} was payable until 2026-11-25T02:30:00.000Z: place a new order`,
          'zh-CN': { cause: '订单当前状态不允许此操作', fix: '刷新订单状态后再试' },
          en: {
            cause: "The order's status does not allow this",
            fix: 'Reload the order and try again',
          },
        },
      } satisfies ApiErrorBody,
      { status: 409 },
    ),
  ),
  selectedAddress: (address: AddressView | null) =>
    http.get('*/api/addresses/selected', () => HttpResponse.json({ address })),
}
