// A terminal walk-through of one payment's protocol steps with @alipay-kit/core (built to dist).
import { generateKeyPairSync } from 'node:crypto'
import {
  createLegacyClient,
  createOpenClient,
  decideTransition,
  explainAlipayError,
  initialPaymentState,
  matchRegion,
  md5Sign,
  verifyLegacyNotification,
} from '../packages/core/dist/index.js'

const say = (title, value) =>
  console.log(`\n■ ${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}`)

const legacy = createLegacyClient({
  partner: '2088101122136241',
  key: 'abcdefghijklmnopqrstuvwxyz012345',
  gateway: 'http://127.0.0.1:4010/gateway.do',
})
const pay = legacy.directPay({
  out_trade_no: 'DEMO-1001',
  subject: '龙井茶 Longjing tea',
  total_fee: '128.00',
  notify_url: 'https://shop.example/alipay/notify',
  return_url: 'https://shop.example/alipay/return',
})
say('1. A signed instant-payment URL (legacy MD5 gateway)', pay.url)

const notification = {
  notify_id: 'demo-notify-1',
  notify_type: 'trade_status_sync',
  out_trade_no: 'DEMO-1001',
  trade_no: '2026112400001000000000000001',
  trade_status: 'TRADE_SUCCESS',
  total_fee: '128.00',
  seller_id: '2088101122136241',
}
const signed = {
  ...notification,
  sign: md5Sign(notification, legacy.config.key, 'utf-8'),
  sign_type: 'MD5',
}
const body = Buffer.from(new URLSearchParams(signed).toString())
const verified = verifyLegacyNotification(legacy.config, {
  body,
  contentType: 'application/x-www-form-urlencoded',
})
say('2. Alipay notifies the shop; the raw body verifies', {
  ok: verified.ok,
  status: verified.notification?.tradeStatus,
})

const tampered = Buffer.from(body.toString().replace('total_fee=128.00', 'total_fee=0.01'))
const rejected = verifyLegacyNotification(legacy.config, { body: tampered })
say('3. The same notification with the amount changed is refused', rejected.rejection)

const first = decideTransition(initialPaymentState('instant'), { tradeStatus: 'TRADE_SUCCESS' })
const again = decideTransition(first.next, { tradeStatus: 'TRADE_SUCCESS' })
say('4. The state machine: the first delivery is a transition, the retry a duplicate', {
  first: first.kind,
  events: first.events,
  retry: again.kind,
})

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const open = createOpenClient({ appId: '2021000000000000', privateKey, alipayPublicKey: publicKey })
const page = open.pagePay(
  { out_trade_no: 'DEMO-1002', total_amount: '0.01', subject: 'Tea' },
  { notifyUrl: 'https://shop.example/alipay/notify' },
)
say('5. An Open Platform page-pay request, RSA2-signed, timestamp in China time', {
  timestamp: page.params.timestamp,
  biz_content: page.params.biz_content,
})

say(
  '6. An Alipay address matched to division codes',
  matchRegion({ province: '上海', city: '上海市', district: '浦东' }),
)
say('7. A gateway error explained', explainAlipayError('ILLEGAL_SIGN', 'en'))
console.log(
  '\nThe simulator, the BFF and the demo shop arrive with the next issues; then this command starts them and prints the URL to open.',
)
