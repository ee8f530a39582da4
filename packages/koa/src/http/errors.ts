import type { ApiErrorBody } from '@alipay-kit/client'
import { AlipayKitError, explainAlipayError } from '@alipay-kit/core'

/** The BFF's own error codes, each explained in both languages like Alipay's. */
const OWN: Record<string, { zh: [string, string]; en: [string, string] }> = {
  INVALID_INPUT: {
    zh: ['请求内容不正确', '按提示修改后重试'],
    en: ['The request is not valid', 'Correct the field named in the message and try again'],
  },
  NOT_LOGGED_IN: {
    zh: ['尚未用支付宝登录', '先用支付宝快捷登录'],
    en: ['Not logged in with Alipay', 'Log in with Alipay first'],
  },
  FORBIDDEN: {
    zh: ['无权访问此订单或操作', '用下单时的账户或浏览器访问'],
    en: [
      'Not allowed to see this order or do this',
      'Use the account or browser that placed the order',
    ],
  },
  NOT_FOUND: {
    zh: ['找不到该订单', '检查订单号'],
    en: ['No such order', 'Check the order number'],
  },
  CSRF: {
    zh: ['跨站请求被拒绝', '从商户网站本身发起请求'],
    en: [
      'Cross-site request refused',
      'Send the request from the shop itself (with the x-alipay-kit header)',
    ],
  },
  SERVICE_UNAVAILABLE: {
    zh: ['此支付方式未开通', '选择商户提供的其他支付方式'],
    en: ['This payment service is not offered', 'Choose one of the services in GET /api/session'],
  },
  ADDRESS_REQUIRED: {
    zh: ['这些商品需要发货，缺少收货地址', '填写收货人、手机号码、地区和详细地址后重新下单'],
    en: [
      'These goods are shipped and the order has no delivery address',
      'Give the recipient, phone, region and street, then order again',
    ],
  },
  PRICING: {
    zh: ['商品或数量有误', '刷新商品列表后重新下单'],
    en: ['An item or quantity is not available', 'Reload the catalog and order again'],
  },
  CONFLICT: {
    zh: ['订单当前状态不允许此操作', '刷新订单状态后再试'],
    en: ["The order's status does not allow this", 'Reload the order and try again'],
  },
  IDEMPOTENCY_KEY_REUSED: {
    zh: [
      '这个 Idempotency-Key 已用于另一个请求',
      '新的请求用新的 Idempotency-Key；重试时请求内容须与第一次相同',
    ],
    en: [
      'This Idempotency-Key was used for another request',
      'Use a new key for a new request; a retry must send the same request as the first time',
    ],
  },
  IDEMPOTENCY_KEY_IN_USE: {
    zh: [
      '同一 Idempotency-Key 的请求正在处理',
      '稍候用同一个 Idempotency-Key 重试，会得到第一次的结果',
    ],
    en: [
      'A request with this Idempotency-Key is still being handled',
      'Retry with the same key in a moment: you get the first answer',
    ],
  },
  GATEWAY_UNREACHABLE: {
    zh: ['暂时无法连接支付宝', '稍后重试'],
    en: ['Alipay could not be reached', 'Try again in a moment'],
  },
  STORE_UNAVAILABLE: {
    zh: ['商户数据库暂时不可用', '稍后重试'],
    en: ['The shop database is unavailable', 'Try again in a moment'],
  },
  PAYLOAD_TOO_LARGE: {
    zh: ['请求内容过大', '减少内容后重试'],
    en: ['The request body is too large', 'Send less'],
  },
  RATE_LIMITED: {
    zh: ['操作太频繁', '请等待 Retry-After 所示的秒数后再试'],
    en: [
      'Too many requests from this browser or network',
      'Wait the seconds Retry-After gives, then try again',
    ],
  },
  TOO_MANY_STREAMS: {
    zh: ['同时打开的订单状态页面过多', '关闭其他订单页面；本页会改为定时刷新状态'],
    en: [
      'Too many order status streams are open',
      'Close other order pages; this one follows the status by polling instead',
    ],
  },
  INTERNAL: {
    zh: ['服务器内部错误', '稍后重试；若持续出现请联系商户'],
    en: ['Internal error', 'Try again; if it persists, contact the shop'],
  },
}

/** An error the BFF answers as JSON: a status, a stable code, and a message for developers. */
export class ApiError extends AlipayKitError {
  override readonly name = 'ApiError'
  /**
   * A 5xx whose outcome is known all the same (Alipay refused a refund): under an
   * Idempotency-Key it is kept and replayed like a 4xx, never run again (http/idempotency.ts).
   */
  readonly final: boolean
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly field?: string,
    options: { readonly final?: boolean } = {},
  ) {
    super(code, message)
    this.final = options.final ?? status < 500
  }
}

/** The JSON body for an error: own codes from the table above, Alipay's from the core's catalog. */
export function errorBody(error: ApiError): ApiErrorBody {
  const own = OWN[error.code]
  const zh = own
    ? { cause: own.zh[0], fix: own.zh[1] }
    : (({ cause, fix }) => ({ cause, fix }))(explainAlipayError(error.code, 'zh-CN'))
  const en = own
    ? { cause: own.en[0], fix: own.en[1] }
    : (({ cause, fix }) => ({ cause, fix }))(explainAlipayError(error.code, 'en'))
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      'zh-CN': zh,
      en,
    },
  }
}
