import type { Locale, OrderPhase } from '@alipay-kit/client'

/** Every string the kit shows, in both languages it speaks. */
export interface Messages {
  readonly loginAlt: string
  readonly loginLabel: string
  readonly payLabel: string
  readonly paying: string
  readonly greeting: (name: string) => string
  readonly logout: string
  readonly useAlipayAddress: string
  readonly useAlipayAddressNeedsLogin: string
  readonly loadingAddress: string
  readonly alipayAddressApplied: string
  readonly recipient: string
  readonly phone: string
  readonly province: string
  readonly city: string
  readonly district: string
  readonly street: string
  readonly postcode: string
  readonly regionSearch: string
  readonly regionSearchHint: string
  readonly chooseOne: string
  readonly loadingRegions: string
  readonly required: (field: string) => string
  readonly badPhone: string
  readonly badPostcode: string
  readonly phases: Readonly<Record<OrderPhase, string>>
  readonly connecting: string
  readonly stillConfirming: string
  readonly statusUnavailable: string
  readonly amount: (yuan: string) => string
  readonly qrScan: string
  readonly qrAlt: (yuan: string) => string
  readonly qrExpiresIn: (time: string) => string
  readonly qrExpired: string
  readonly qrRefresh: string
  readonly qrRefreshing: string
  readonly qrRefreshFailed: string
  readonly qrOpenOnPhone: string
  readonly qrDrawing: string
  readonly qrCreating: string
}

const zh: Messages = {
  loginAlt: '支付宝快捷登录',
  loginLabel: '用支付宝登录',
  payLabel: '支付宝付款',
  paying: '正在前往支付宝…',
  greeting: (name) => `你好，支付宝用户${name}`,
  logout: '退出',
  useAlipayAddress: '使用我在支付宝的联系方式',
  useAlipayAddressNeedsLogin: '使用我在支付宝的联系方式（需先用支付宝登录）',
  loadingAddress: '正在读取支付宝地址…',
  alipayAddressApplied: '已填入你在支付宝选择的地址',
  recipient: '收货人',
  phone: '手机号码',
  province: '省份',
  city: '城市',
  district: '区县',
  street: '详细地址',
  postcode: '邮政编码',
  regionSearch: '搜索地区',
  regionSearchHint: '输入区县或城市名，如“浦东”',
  chooseOne: '请选择',
  loadingRegions: '正在加载地区…',
  required: (field) => `请填写${field}`,
  badPhone: '请输入11位手机号码或带区号的固定电话',
  badPostcode: '邮政编码为6位数字',
  phases: {
    waiting: '等待付款',
    paid: '付款成功',
    shipped: '卖家已发货，等待确认收货',
    finished: '交易完成',
    closed: '交易已关闭',
    refund_requested: '已申请退款，等待卖家处理',
    refund_refused: '卖家拒绝了退款申请',
    refund_in_progress: '退款处理中',
    refunded: '退款成功',
    review: '付款待商家核实，请勿重复付款；商家会与您联系',
  },
  connecting: '正在获取支付状态…',
  stillConfirming: '支付结果确认中，请稍候；无需重复付款',
  statusUnavailable: '暂时无法获取支付状态，正在重试',
  amount: (yuan) => `¥${yuan}`,
  qrScan: '打开支付宝 App，扫一扫付款',
  qrAlt: (yuan) => `支付宝付款二维码，金额 ¥${yuan}：用支付宝 App 扫一扫付款`,
  qrExpiresIn: (time) => `二维码 ${time} 后失效`,
  qrExpired: '二维码已失效',
  qrRefresh: '刷新二维码',
  qrRefreshing: '正在刷新二维码…',
  qrRefreshFailed: '二维码没能刷新，请重试',
  qrOpenOnPhone: '在手机上打开支付宝',
  qrDrawing: '正在生成二维码…',
  qrCreating: '正在生成付款二维码…',
}

const en: Messages = {
  loginAlt: 'Log in with Alipay',
  loginLabel: 'Log in with Alipay',
  payLabel: 'Pay with Alipay',
  paying: 'Going to Alipay…',
  greeting: (name) => `Hello, Alipay user ${name}`,
  logout: 'Log out',
  useAlipayAddress: 'Use my Alipay address',
  useAlipayAddressNeedsLogin: 'Use my Alipay address (log in with Alipay first)',
  loadingAddress: 'Reading your Alipay address…',
  alipayAddressApplied: 'Filled in with the address you chose at Alipay',
  recipient: 'Recipient',
  phone: 'Mobile number',
  province: 'Province',
  city: 'City',
  district: 'District',
  street: 'Street address',
  postcode: 'Postcode',
  regionSearch: 'Find a region',
  regionSearchHint: 'Type a district or city, e.g. Pudong or 浦东',
  chooseOne: 'Choose…',
  loadingRegions: 'Loading regions…',
  required: (field) => `${field} is required`,
  badPhone: 'Enter an 11-digit mobile number or a landline with its area code',
  badPostcode: 'A postcode has 6 digits',
  phases: {
    waiting: 'Waiting for payment',
    paid: 'Paid',
    shipped: 'Shipped, waiting for receipt',
    finished: 'Completed',
    closed: 'Closed',
    refund_requested: 'Refund requested, waiting for the seller',
    refund_refused: 'The seller refused the refund',
    refund_in_progress: 'Refund in progress',
    refunded: 'Refunded',
    review: 'The shop is checking this payment; do not pay again, the shop will contact you',
  },
  connecting: 'Getting the payment status…',
  stillConfirming: 'Your payment is still being confirmed; do not pay again',
  statusUnavailable: 'The payment status is unavailable for now; retrying',
  amount: (yuan) => `¥${yuan}`,
  qrScan: 'Open the Alipay app and scan to pay',
  qrAlt: (yuan) => `Alipay payment QR code for ¥${yuan}: scan it with the Alipay app`,
  qrExpiresIn: (time) => `The code expires in ${time}`,
  qrExpired: 'This QR code has expired',
  qrRefresh: 'New QR code',
  qrRefreshing: 'Getting a new QR code…',
  qrRefreshFailed: 'Could not get a new QR code; try again',
  qrOpenOnPhone: 'Open in Alipay on this phone',
  qrDrawing: 'Drawing the QR code…',
  qrCreating: 'Creating the payment QR code…',
}

export const MESSAGES: Readonly<Record<Locale, Messages>> = { 'zh-CN': zh, en }
