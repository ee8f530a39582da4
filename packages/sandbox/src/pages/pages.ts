import { explainAlipayError } from '@alipay-kit/core'
import type { SandboxBuyer } from '../buyers.js'
import { SANDBOX_PASSWORD } from '../buyers.js'
import type { TradeAction } from '../simulator.js'
import { chargedFen, type Trade, yuan } from '../trades.js'
import { type Html, html, page } from './html.js'

/** Alipay's "调试错误" page, with the code, and the cause and fix from the core's catalog. */
export function errorPage(code: string, detail: string): string {
  const zh = explainAlipayError(code, 'zh-CN')
  const en = explainAlipayError(code, 'en')
  return page(
    '调试错误',
    html`<p role="alert" class="error">调试错误，请回到请求来源地，重新发起请求。</p>
<p>错误代码 <strong id="error-code">${code}</strong></p>
<p>${zh.cause}：${zh.fix}</p><p lang="en">${en.cause}: ${en.fix}</p>
<p><small>${detail}</small></p>`,
  )
}

/** Quick login: pick a simulated buyer, type the password (or a wrong one). */
export function loginPage(
  accounts: readonly SandboxBuyer[],
  next: string,
  error?: string,
  hint?: string,
): string {
  const options = accounts.map(
    (buyer, i) =>
      html`<label><input type="radio" name="user_id" value="${buyer.userId}" ${i === 0 ? html`checked` : ''}> ${buyer.realName} · ${buyer.email} · ${buyer.userId}</label>`,
  )
  return page(
    '登录支付宝',
    html`${error ? html`<p role="alert" class="error">${error}</p>` : ''}${hint ? html`<p>${hint}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${next}">
<fieldset><legend>账户 Account</legend>${options}</fieldset>
<label for="password">登录密码 Login password (sandbox: ${SANDBOX_PASSWORD})</label>
<input id="password" name="password" type="password" value="${SANDBOX_PASSWORD}" autocomplete="off">
<p><button type="submit">登录 Log in</button></p>
</form>`,
  )
}

/** The cashier: what is paid, to whom; Pay or Cancel; the dual interface's escrow-or-instant choice. */
export function cashierPage(trade: Trade, buyer: SandboxBuyer, sellerEmail: string): string {
  const dual = trade.service === 'trade_create_by_buyer'
  return page(
    '支付宝收银台',
    html`<p>${buyer.realName}（${buyer.email}），请确认付款 · Confirm the payment</p>
<table><tbody>
<tr><th scope="row">商品 Subject</th><td id="subject">${trade.subject}</td></tr>
<tr><th scope="row">收款方 Seller</th><td>${sellerEmail}</td></tr>
<tr><th scope="row">订单号 Order</th><td>${trade.outTradeNo}</td></tr>
<tr><th scope="row">金额 Amount</th><td class="amount" id="amount">¥${yuan(chargedFen(trade))}</td></tr>
</tbody></table>
<form method="post" action="/cashier/${trade.tradeNo}/pay">
${dual ? html`<fieldset><legend>交易方式 How to pay</legend><label><input type="radio" name="choice" value="escrow" checked> 担保交易 Escrow (money released when you confirm receipt)</label><label><input type="radio" name="choice" value="instant"> 即时到账 Instant</label></fieldset>` : ''}
<p><button type="submit" id="pay">确认付款 Pay</button></p></form>
<form method="post" action="/cashier/${trade.tradeNo}/cancel"><button type="submit" class="secondary" id="cancel">取消 Cancel</button></form>`,
  )
}

/** After payment: a short stop, then back to the merchant's return_url (if any). */
export function paidPage(trade: Trade, returnUrl: string | undefined): string {
  const back = returnUrl
    ? html`<p><a class="button" id="return" href="${returnUrl}">返回商户 Back to the shop</a></p>`
    : html`<p>你可以关闭此页面 · You may close this page.</p>`
  return page(
    '付款成功',
    html`<p role="status">交易 ${trade.outTradeNo} 付款成功，¥${yuan(chargedFen(trade))}。 Payment received.</p>${back}`,
    returnUrl ? { refresh: { seconds: 3, url: returnUrl } } : {},
  )
}

export function cancelledPage(trade: Trade): string {
  const back = trade.showUrl
    ? html`<p><a class="button" href="${trade.showUrl}">返回商户 Back to the shop</a></p>`
    : ''
  return page(
    '已取消付款',
    html`<p role="status">你取消了订单 ${trade.outTradeNo} 的付款。 You cancelled the payment.</p>${back}`,
  )
}

/** The buyer's saved addresses at Alipay. */
export function addressesPage(requestId: string, buyer: SandboxBuyer): string {
  const options = buyer.addresses.map(
    (a, i) =>
      html`<label><input type="radio" name="index" value="${i}" ${i === 0 ? html`checked` : ''}> ${a.fullname} ${a.mobilePhone} · ${a.prov} ${a.city} ${a.area} ${a.address} ${a.post}</label>`,
  )
  return page(
    '选择收货地址',
    html`<form method="post" action="/addresses/${requestId}"><fieldset><legend>${buyer.realName} 的常用收货地址 · Saved addresses</legend>${options}</fieldset>
<p><button type="submit">确认 Use this address</button></p></form>`,
  )
}

/** Posts `params` to `action` from the browser (how Alipay hands the chosen address back). */
export function autoPostPage(action: string, params: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(params).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )
  return `${page('正在返回商户', html`<form id="back" method="post" action="${action}" accept-charset="utf-8">${inputs}<button type="submit">返回商户 Continue</button></form>`)}<script>document.getElementById('back').submit()</script>`
}

const ACTION_LABELS: Record<TradeAction, string> = {
  ship: '卖家发货 Seller ships',
  confirm: '买家确认收货 Buyer confirms receipt',
  close: '关闭交易 Close (timeout)',
  finish: '结束退款期 End refund window',
  request_refund: '买家申请退款 Buyer requests refund',
  refuse_refund: '卖家拒绝退款 Seller refuses',
  agree_refund: '卖家同意退款 Seller agrees',
  return_goods: '买家退货 Buyer returns goods',
  confirm_return: '卖家确认收到退货 Seller confirms return',
  cancel_refund: '买家撤销退款 Buyer withdraws refund',
}

/** The merchant/buyer console: every trade, and what can happen to it next. */
export function consolePage(trades: readonly Trade[]): string {
  const rows = trades.map(
    (t) =>
      html`<tr><td><a href="/console/${t.tradeNo}">${t.outTradeNo}</a></td><td>${t.service}</td><td>¥${yuan(chargedFen(t))}</td><td>${t.tradeStatus}</td><td>${t.refundStatus ?? ''}</td></tr>`,
  )
  return page(
    '交易管理 Console',
    html`<table><thead><tr><th>Order</th><th>Service</th><th>Amount</th><th>Trade status</th><th>Refund status</th></tr></thead><tbody>${rows}</tbody></table>`,
  )
}

export function tradePage(
  trade: Trade,
  actions: readonly TradeAction[],
  notice?: Html | string,
): string {
  const buttons = actions.map(
    (action) =>
      html`<form method="post" action="/console/${trade.tradeNo}/${action}"><button type="submit" id="action-${action}">${ACTION_LABELS[action]}</button></form>`,
  )
  return page(
    `交易 ${trade.outTradeNo}`,
    html`${notice ? html`<p role="status">${notice}</p>` : ''}<table><tbody>
<tr><th scope="row">Alipay trade no</th><td>${trade.tradeNo}</td></tr>
<tr><th scope="row">Subject</th><td>${trade.subject}</td></tr>
<tr><th scope="row">Amount</th><td>¥${yuan(chargedFen(trade))}</td></tr>
<tr><th scope="row">Trade status</th><td id="trade-status">${trade.tradeStatus}</td></tr>
<tr><th scope="row">Refund status</th><td id="refund-status">${trade.refundStatus ?? '—'}</td></tr>
<tr><th scope="row">Buyer</th><td>${trade.buyer ? `${trade.buyer.realName} ${trade.buyer.userId}` : '—'}</td></tr>
</tbody></table><div class="actions">${buttons}</div><p><a href="/console">All trades</a></p>`,
  )
}

/** After a refund by password page (refund_fastpay_by_platform_pwd). */
export function refundDonePage(count: number): string {
  return page('退款成功', html`<p role="status">${count} 笔退款已处理 · refund(s) processed.</p>`)
}
