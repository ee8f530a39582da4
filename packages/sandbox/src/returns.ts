import { chinaTimestamp } from '@alipay-kit/core'
import { encodeForm } from './http/form.js'
import { signedReturnUrl } from './legacy/gateway.js'
import { openNotificationSign } from './signing.js'
import type { Simulator } from './simulator.js'
import { legacyTradeFields, type Trade, yuan } from './trades.js'

/** The signed return_url redirect after payment, as each gateway writes it (undefined when none or dropped). */
export function paymentReturnUrl(sim: Simulator, trade: Trade): string | undefined {
  return sim.returnUrlFor(trade, ({ notify_id }) => {
    const base = trade.returnUrl as string
    if (trade.gateway === 'legacy') {
      return signedReturnUrl(
        sim,
        base,
        {
          is_success: 'T',
          exterface: trade.service,
          payment_type: trade.service === 'create_donate_trade_p' ? '4' : '1',
          seller_email: sim.merchant.sellerEmail,
          notify_id: notify_id as string,
          notify_type: 'trade_status_sync',
          notify_time: chinaTimestamp(new Date()),
          ...legacyTradeFields(trade, sim.merchant.partner),
          ...(trade.passback ? { extra_common_param: trade.passback } : {}),
        },
        trade.charset,
      )
    }
    const fields = new Map<string, string>(
      Object.entries({
        app_id: sim.merchant.appId,
        charset: 'utf-8',
        method: `${trade.service}.return`,
        out_trade_no: trade.outTradeNo,
        seller_id: sim.merchant.partner,
        timestamp: chinaTimestamp(new Date()),
        total_amount: yuan(trade.totalFen),
        trade_no: trade.tradeNo,
        version: '1.0',
      }),
    )
    fields.set('sign', openNotificationSign(fields, sim.merchant.alipayPrivateKey, 'utf-8'))
    fields.set('sign_type', 'RSA2')
    return `${base}?${encodeForm(fields, 'utf-8')}`
  })
}
