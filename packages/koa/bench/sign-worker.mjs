// Signs the notify benchmark's notifications in a worker thread (see notify.bench.mjs): each one as
// Alipay sends a page-pay trade's TRADE_SUCCESS, with the fields of the conformance sample
// (packages/core/conformance/open-notify-paid.json), about 1.2 kB on the wire.
import { createPrivateKey } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import { signedOpenNotification } from './signed-notification.mjs'

const { appId, orders, offset } = workerData
// Parsed once: a PEM string would be parsed again for every signature.
const privateKey = createPrivateKey(workerData.privateKey)
const bodies = orders.map((id, i) => {
  const n = offset + i
  return signedOpenNotification(
    {
      gmt_create: '2026-11-25 09:59:52',
      charset: 'utf-8',
      seller_email: 'tea-shop@example.com',
      subject: '西湖龙井 250g ×1',
      body: '明前特级，一芽一叶',
      buyer_id: `2088102${String(n % 1e9).padStart(9, '0')}`,
      invoice_amount: '1.00',
      notify_id: `2026112500222100000${String(n).padStart(15, '0')}`,
      fund_bill_list: '[{"amount":"1.00","fundChannel":"ALIPAYACCOUNT"}]',
      notify_type: 'trade_status_sync',
      trade_status: 'TRADE_SUCCESS',
      receipt_amount: '1.00',
      buyer_pay_amount: '1.00',
      app_id: appId,
      seller_id: '2088531891668739',
      gmt_payment: '2026-11-25 10:00:00',
      notify_time: '2026-11-25 10:00:01',
      version: '1.0',
      out_trade_no: id,
      total_amount: '1.00',
      trade_no: `2026112522${String(n).padStart(18, '0')}`,
      auth_app_id: appId,
      buyer_logon_id: 'tea***@example.com',
      point_amount: '0.00',
    },
    privateKey,
  )
})
parentPort.postMessage(bodies)
