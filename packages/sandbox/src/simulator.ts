import { createPrivateKey, createPublicKey, type KeyObject, randomBytes } from 'node:crypto'
import { AlipayKitError, type RefundStatus, type TradeStatus } from '@alipay-kit/core'
import { chinaDate, tradeBillZip } from './bill/trade-bill.js'
import { BUYERS, type SandboxBuyer } from './buyers.js'
import { rootSerialNumberOf, serialNumberOf } from './certificates.js'
import type { Clock } from './clock.js'
import type { SandboxCredentials } from './credentials.js'
import { ExpiringIds } from './expiring-ids.js'
import { type Faults, mergeFaults } from './faults.js'
import type { Charset } from './http/form.js'
import { LEGACY_PAYMENT_SERVICES } from './legacy/payment.js'
import {
  buildNotification,
  buildRefundBatchNotification,
  type MerchantIdentity,
  newNotifyId,
  type RefundLineResult,
} from './notify/content.js'
import { Deliveries, type Fetch } from './notify/deliveries.js'
import {
  ANTI_PHISHING_TTL_MS,
  LOGIN_STATE_TTL_MS,
  RETURN_NOTIFY_ID_TTL_MS,
  SERVER_NOTIFY_ID_TTL_MS,
  TOKEN_TTL_MS,
} from './notify/schedule.js'
import {
  chargedFen,
  fen,
  modeOfService,
  refundedFen,
  relativeMs,
  type Trade,
  type TradeRequest,
} from './trades.js'

/** A legacy refund batch as the gateway accepted it (its format is checked there). */
export interface RefundBatchRequest {
  readonly batchNo: string
  readonly notifyUrl: string | undefined
  readonly charset: Charset
  /** detail_data's entries: `trade_no^amount^reason`. */
  readonly lines: ReadonlyArray<{ readonly tradeNo: string; readonly amount: string }>
}

/** The simulator's state as JSON (see {@link Simulator.snapshot}). */
export interface SimulatorSnapshot {
  readonly version: 1
  readonly tradeSeq: number
  readonly trades: ReadonlyArray<Omit<Trade, 'buyer'> & { buyerId: string | undefined }>
  readonly tokens: ReadonlyArray<{
    token: string
    buyerId: string
    expiresAt: number
    loginExpiresAt: number
  }>
  readonly notifyIds: ReadonlyArray<readonly [string, number]>
}

/** What a quick-login token grants, and until when. */
export interface TokenGrant {
  readonly buyer: SandboxBuyer
  readonly expiresAt: number
  readonly loginExpiresAt: number
}

/** A status change the console or admin API can make. */
export type TradeAction =
  | 'ship'
  | 'confirm'
  | 'close'
  | 'finish'
  | 'request_refund'
  | 'refuse_refund'
  | 'agree_refund'
  | 'return_goods'
  | 'confirm_return'
  | 'cancel_refund'

/** Thrown when an action does not fit the trade's status; the message says which statuses allow it. */
export class ActionError extends AlipayKitError {
  override readonly name = 'ActionError'
  constructor(message: string) {
    super('ACTION_NOT_ALLOWED', message)
  }
}

/** A QR code is payable for two hours at most, whatever the request asks. */
const QR_MAX_MS = 2 * 3600_000

/** Every legacy service the simulator speaks: the default contract. */
export const MERCHANT_SERVICES: readonly string[] = [
  ...LEGACY_PAYMENT_SERVICES,
  'alipay.auth.authorize',
  'user.logistics.address.query',
  'notify_verify',
  'query_timestamp',
  'single_trade_query',
  'refund_fastpay_by_platform_pwd',
  'refund_fastpay_by_platform_nopwd',
  'send_goods_confirm_by_platform',
  'close_trade',
]

/** The simulated Alipay: trades, buyers' sessions and tokens, notify ids, faults, deliveries. */
export class Simulator {
  readonly merchant: MerchantIdentity & {
    readonly appPublicKey: KeyObject
    readonly alipayPublicKey: KeyObject
  }
  /** Every trade by Alipay's trade_no (added through `createTrade`, which also indexes it). */
  get trades(): ReadonlyMap<string, Trade> {
    return this.tradesByTradeNo
  }
  private readonly tradesByTradeNo = new Map<string, Trade>()
  readonly deliveries: Deliveries
  globalFaults: Faults = {}
  readonly orderFaults = new Map<string, Faults>()
  /** Services in the merchant's contract; others answer HAS_NO_PRIVILEGE. */
  contract = new Set(MERCHANT_SERVICES)
  /** When on, payment requests need a fresh anti_phishing_key and the buyer's IP. */
  antiPhishing = false
  /**
   * Certificate mode: the serial numbers requests must name and answers carry, from
   * `credentials.certificates` (see {@link useCertificates}).
   */
  certificateSns:
    | {
        readonly appCertSn: string
        readonly alipayRootCertSn: string
        readonly alipayCertSn: string
      }
    | undefined
  /** When set, quick login answers carry this target_url, as when the buyer came from etao. */
  etaoTargetUrl: string | undefined
  /** Every fault applied to a notification or a return, in order: tests assert what was sent. */
  readonly faultLog: Array<{ at: number; outTradeNo: string; faults: readonly string[] }> = []
  /** Every return redirect issued (or withheld by a fault). */
  readonly returns: Array<{ outTradeNo: string; url: string | undefined; dropped: boolean }> = []

  /**
   * Trade queries (alipay.trade.query, single_trade_query) by out_trade_no: how many came and
   * how many were being answered at once at most (with the queryDelayMs fault, overlapping
   * queries of one order show here).
   */
  readonly queries = new Map<string, { count: number; inFlight: number; maxInFlight: number }>()

  private readonly bills = new Map<string, { zip: Buffer; expiresAt: number }>()

  /**
   * The trade bill of `day` (China time) for download, or undefined when Alipay has none: the day
   * is not over (bills are T+1) or no payment or refund of this merchant completed on it.
   */
  issueBill(day: string): string | undefined {
    if (day >= chinaDate(this.now())) return undefined
    const zip = tradeBillZip({
      trades: [...this.trades.values()],
      day,
      account: this.merchant.partner,
      now: this.now(),
    })
    if (!this.hasBillLines(day)) return undefined
    const token = randomBytes(12).toString('hex')
    this.bills.set(token, { zip, expiresAt: this.now() + 30_000 })
    return token
  }

  private hasBillLines(day: string): boolean {
    for (const trade of this.trades.values()) {
      if (trade.gateway !== 'open') continue
      if (trade.paidAt !== undefined && chinaDate(trade.paidAt) === day) return true
      if (trade.refunds.some((r) => chinaDate(r.at) === day)) return true
    }
    return false
  }

  /** The archive behind a bill_download_url, while it is valid (30 seconds). */
  billFile(token: string): Buffer | undefined {
    const bill = this.bills.get(token)
    if (!bill || this.now() > bill.expiresAt) return undefined
    return bill.zip
  }

  /** Counts a trade query from its start to `end()`. */
  beginQuery(outTradeNo: string): { end(): void } {
    const stats = this.queries.get(outTradeNo) ?? { count: 0, inFlight: 0, maxInFlight: 0 }
    this.queries.set(outTradeNo, stats)
    stats.count++
    stats.inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    return { end: () => void stats.inFlight-- }
  }

  /** Called after every change worth keeping (trades, tokens, notify ids): persistence hooks in here. */
  onChange: (() => void) | undefined

  private readonly tokens = new Map<string, TokenGrant>()
  private readonly notifyIds = new ExpiringIds(() => this.now())
  private readonly antiPhishingKeys = new ExpiringIds(() => this.now())
  private readonly qrCodes = new Map<string, { tradeNo: string; expiresAt: number }>()
  /** Refund batch numbers used so far: a second use is DUPLICATE_BATCH_NO. */
  readonly refundBatchNos = new Set<string>()
  /** Trades by the merchant's out_trade_no, oldest first (a lookup per cashier and payment). */
  private readonly tradesByOutTradeNo = new Map<string, Trade[]>()
  private tradeSeq = 0

  constructor(
    readonly credentials: SandboxCredentials,
    readonly clock: Clock,
    fetchImpl?: Fetch,
  ) {
    const alipayPrivateKey = createPrivateKey(credentials.alipayPrivateKey)
    this.merchant = {
      partner: credentials.partner,
      key: credentials.key,
      sellerEmail: credentials.sellerEmail,
      appId: credentials.appId,
      alipayPrivateKey,
      alipayPublicKey: createPublicKey(alipayPrivateKey),
      appPublicKey: createPublicKey(credentials.appPublicKey),
    }
    this.deliveries = new Deliveries(clock, fetchImpl)
  }

  now(): number {
    return this.clock.now()
  }

  /** Switches certificate mode on, with the credentials' certificates (which must be there). */
  useCertificates(): void {
    const certificates = this.credentials.certificates
    if (!certificates)
      throw new AlipayKitError(
        'INVALID_CONFIG',
        'certificate mode needs credentials.certificates (startSandbox({ certificates: true }) issues them)',
      )
    this.certificateSns = {
      appCertSn: serialNumberOf(certificates.appCert),
      alipayRootCertSn: rootSerialNumberOf(certificates.alipayRootCert),
      alipayCertSn: serialNumberOf(certificates.alipayPublicCert),
    }
  }

  /** The merchant's own Alipay account, which can log in too (paying oneself is BUYER_SELLER_EQUAL). */
  get sellerAccount(): SandboxBuyer {
    return {
      userId: this.merchant.partner,
      realName: '商户本人',
      email: this.merchant.sellerEmail,
      addresses: [],
    }
  }

  /** Every account that can log in: the simulated buyers, then the seller itself. */
  get accounts(): readonly SandboxBuyer[] {
    return [...BUYERS, this.sellerAccount]
  }

  findBuyer(userId: string): SandboxBuyer | undefined {
    return this.accounts.find((account) => account.userId === userId)
  }

  private newTradeNo(): string {
    this.tradeSeq++
    const date = new Date(this.now()).toISOString().slice(0, 10).replace(/-/g, '')
    return `${date}2200${String(this.tradeSeq).padStart(8, '0')}${randomBytes(2).readUInt16BE(0).toString().padStart(5, '0')}`
  }

  /** Opens a trade for a payment request: a new trade_no, waiting for the buyer to pay. */
  createTrade(request: TradeRequest): Trade {
    const trade: Trade = {
      ...request,
      tradeNo: this.newTradeNo(),
      createdAt: this.now(),
      tradeStatus: 'WAIT_BUYER_PAY',
      refundStatus: undefined,
      adjustedFen: undefined,
      mode: undefined,
      buyer: undefined,
      paidAt: undefined,
      shipped: false,
      refunds: [],
      returned: false,
    }
    this.remember(trade)
    this.scheduleExpiry(trade)
    this.onChange?.()
    return trade
  }

  /**
   * How long a paid instant trade can be refunded: then it is TRADE_FINISHED (交易结束，不可退款)
   * and the merchant hears it. The length is the merchant's contract's; three months by default.
   */
  refundWindowMs = 90 * 86_400_000

  private scheduleRefundWindowEnd(trade: Trade): void {
    this.clock.schedule(this.refundWindowMs, () => {
      const current = this.trades.get(trade.tradeNo)
      if (current?.tradeStatus === 'TRADE_SUCCESS') this.act(current, 'finish')
    })
  }

  /** At its expiry an unpaid trade closes, and the merchant hears TRADE_CLOSED. */
  private scheduleExpiry(trade: Trade): void {
    if (trade.expiresAt === undefined || trade.tradeStatus !== 'WAIT_BUYER_PAY') return
    this.clock.schedule(trade.expiresAt - this.now(), () => {
      const current = this.trades.get(trade.tradeNo)
      if (current?.tradeStatus === 'WAIT_BUYER_PAY') this.act(current, 'close')
    })
  }

  /**
   * A paid trade the merchant's shop never created (in the bill, never notified): what a
   * reconciliation must find, e.g. a payment taken by another system on the same account.
   */
  foreignTrade(input: { outTradeNo: string; totalFen: number; subject: string }): Trade {
    const trade = this.createTrade({
      gateway: 'open',
      service: 'alipay.trade.page.pay',
      outTradeNo: input.outTradeNo,
      subject: input.subject,
      body: undefined,
      totalFen: input.totalFen,
      price: undefined,
      quantity: undefined,
      charset: 'utf-8',
      notifyUrl: undefined,
      returnUrl: undefined,
      showUrl: undefined,
      passback: undefined,
      fingerprint: `foreign|${input.outTradeNo}`,
      expiresAt: undefined,
      foreign: true,
    })
    trade.buyer = BUYERS[0]
    trade.paidAt = this.now()
    trade.mode = 'instant'
    trade.tradeStatus = 'TRADE_SUCCESS'
    this.onChange?.()
    return trade
  }

  findByOutTradeNo(outTradeNo: string, gateway?: Trade['gateway']): Trade | undefined {
    return this.tradesByOutTradeNo
      .get(outTradeNo)
      ?.find((trade) => gateway === undefined || trade.gateway === gateway)
  }

  private remember(trade: Trade): void {
    const known = this.tradesByTradeNo.get(trade.tradeNo)
    this.tradesByTradeNo.set(trade.tradeNo, trade)
    const same = this.tradesByOutTradeNo.get(trade.outTradeNo) ?? []
    if (known) same.splice(same.indexOf(known), 1, trade)
    else same.push(trade)
    this.tradesByOutTradeNo.set(trade.outTradeNo, same)
  }

  faultsFor(outTradeNo: string): Faults {
    return mergeFaults(this.globalFaults, this.orderFaults.get(outTradeNo))
  }

  // ── notify ids, tokens, anti-phishing keys ─────────────────────────────────

  issueNotifyId(ttlMs: number): string {
    const id = newNotifyId()
    this.notifyIds.add(id, this.now() + ttlMs)
    this.onChange?.()
    return id
  }

  /** notify_verify: true only for an id this simulator issued, within its validity. */
  isNotifyIdValid(id: string): boolean {
    return this.notifyIds.isValid(id)
  }

  issueToken(buyer: SandboxBuyer): string {
    const token = `sandbox${randomBytes(12).toString('hex')}`
    this.tokens.set(token, {
      buyer,
      expiresAt: this.now() + TOKEN_TTL_MS,
      loginExpiresAt: this.now() + LOGIN_STATE_TTL_MS,
    })
    this.onChange?.()
    return token
  }

  /** The buyer a token stands for while it and the login state are valid. */
  tokenBuyer(token: string | undefined): SandboxBuyer | undefined {
    const grant = token ? this.tokens.get(token) : undefined
    if (!grant || this.now() > grant.expiresAt || this.now() > grant.loginExpiresAt)
      return undefined
    return grant.buyer
  }

  /**
   * A QR code for a trade: a token good for `timeoutExpress` (Alipay's `15m`, `2h`, `1d`, `1c`),
   * never more than two hours, as Alipay caps it (docs/protocol.md, "QR code").
   */
  issueQrCode(trade: Trade, timeoutExpress: string | undefined): string {
    const code = randomBytes(12).toString('hex')
    const ttl = Math.min(relativeMs(timeoutExpress, this.now()) ?? QR_MAX_MS, QR_MAX_MS)
    this.qrCodes.set(code, { tradeNo: trade.tradeNo, expiresAt: this.now() + ttl })
    return code
  }

  /** The trade a QR code pays, while the code is valid. */
  tradeForQrCode(code: string): Trade | undefined {
    const grant = this.qrCodes.get(code)
    if (!grant || this.now() > grant.expiresAt) return undefined
    return this.trades.get(grant.tradeNo)
  }

  issueAntiPhishingKey(): string {
    const key = randomBytes(16).toString('hex').toUpperCase()
    this.antiPhishingKeys.add(key, this.now() + ANTI_PHISHING_TTL_MS)
    return key
  }

  isAntiPhishingKeyValid(key: string | undefined): boolean {
    return this.antiPhishingKeys.isValid(key)
  }

  // ── persistence ─────────────────────────────────────────────────────────────

  /** What survives a restart: trades, tokens and notify ids (deliveries in flight do not). */
  snapshot(): SimulatorSnapshot {
    return {
      version: 1,
      tradeSeq: this.tradeSeq,
      trades: [...this.trades.values()].map(({ buyer, ...trade }) => ({
        ...trade,
        buyerId: buyer?.userId,
      })),
      tokens: [...this.tokens].map(([token, grant]) => ({
        token,
        buyerId: grant.buyer.userId,
        expiresAt: grant.expiresAt,
        loginExpiresAt: grant.loginExpiresAt,
      })),
      notifyIds: this.notifyIds.entries(),
    }
  }

  restore(snapshot: SimulatorSnapshot): void {
    if (snapshot.version !== 1)
      throw new Error(
        `state version ${snapshot.version} is not 1; delete the state file to start afresh`,
      )
    this.tradeSeq = snapshot.tradeSeq
    for (const { buyerId, ...trade } of snapshot.trades) {
      const restored = { ...trade, buyer: buyerId ? this.findBuyer(buyerId) : undefined }
      this.remember(restored)
      this.scheduleExpiry(restored)
    }
    for (const { token, buyerId, expiresAt, loginExpiresAt } of snapshot.tokens) {
      const buyer = this.findBuyer(buyerId)
      if (buyer) this.tokens.set(token, { buyer, expiresAt, loginExpiresAt })
    }
    for (const [id, expiresAt] of snapshot.notifyIds) this.notifyIds.add(id, expiresAt)
  }

  // ── status changes ─────────────────────────────────────────────────────────

  /** Notifies the merchant of the trade's current status (if it gave a notify_url). */
  notify(trade: Trade): void {
    if (!trade.notifyUrl) return
    const faults = this.faultsFor(trade.outTradeNo)
    const notifyId = this.issueNotifyId(SERVER_NOTIFY_ID_TTL_MS)
    const content = buildNotification(trade, this.merchant, faults, notifyId, this.now())
    const applied = [...content.faults]
    if (faults.dropNotifications) applied.push('dropNotifications')
    // Delivered a minute after the trade's expiry: the merchant may have closed the order by then.
    const afterExpiry =
      faults.notifyAfterExpiry && trade.expiresAt !== undefined
        ? Math.max(0, trade.expiresAt - this.now()) + 60_000
        : 0
    if (afterExpiry > 0) applied.push('notifyAfterExpiry')
    if ((faults.duplicates ?? 1) > 1) applied.push(`duplicates=${faults.duplicates}`)
    if (faults.reorder) applied.push('reorder')
    if (faults.delayMs) applied.push(`delayMs=${faults.delayMs}`)
    if (applied.length > 0)
      this.faultLog.push({ at: this.now(), outTradeNo: trade.outTradeNo, faults: applied })
    this.deliveries.send(
      {
        outTradeNo: trade.outTradeNo,
        notifyId,
        url: trade.notifyUrl,
        params: content.params,
        body: content.body,
        contentType: content.contentType,
        faults: applied,
      },
      {
        copies: faults.duplicates ?? 1,
        hold: faults.reorder === true,
        delayMs: Math.max(faults.delayMs ?? 0, afterExpiry),
        drop: faults.dropNotifications === true,
      },
    )
  }

  private setStatus(trade: Trade, tradeStatus: TradeStatus, refundStatus?: RefundStatus): void {
    trade.tradeStatus = tradeStatus
    if (refundStatus !== undefined) trade.refundStatus = refundStatus
    this.onChange?.()
    this.notify(trade)
  }

  /** The buyer paid at the cashier. `choice` is the dual interface's escrow-or-instant. */
  pay(trade: Trade, buyer: SandboxBuyer, choice?: 'escrow' | 'instant'): void {
    if (trade.tradeStatus !== 'WAIT_BUYER_PAY')
      throw new ActionError(
        `The trade is ${trade.tradeStatus}; only WAIT_BUYER_PAY can be paid (TRADE_NOT_ALLOWED_PAY)`,
      )
    if (trade.expiresAt !== undefined && this.now() >= trade.expiresAt)
      throw new ActionError('The trade expired unpaid and is closed (TRADE_NOT_ALLOWED_PAY)')
    trade.buyer = buyer
    trade.paidAt = this.now()
    const mode = modeOfService(trade.service)
    trade.mode = mode === 'buyer-chooses' ? (choice ?? 'escrow') : mode
    if (trade.mode === 'escrow') this.setStatus(trade, 'WAIT_SELLER_SEND_GOODS')
    // The dual interface's instant payment is TRADE_FINISHED at once (docs/protocol.md, "Dual interface").
    else if (mode === 'buyer-chooses') this.setStatus(trade, 'TRADE_FINISHED')
    else {
      this.setStatus(trade, 'TRADE_SUCCESS')
      this.scheduleRefundWindowEnd(trade)
    }
  }

  /** The return redirect's URL (signed, once), or undefined when there is none or a fault drops it. */
  returnUrlFor(
    trade: Trade,
    signed: (params: Record<string, string>) => string,
  ): string | undefined {
    if (trade.returned || !trade.returnUrl) return undefined
    trade.returned = true
    const dropped = this.faultsFor(trade.outTradeNo).dropReturn === true
    if (dropped)
      this.faultLog.push({ at: this.now(), outTradeNo: trade.outTradeNo, faults: ['dropReturn'] })
    const url = dropped
      ? undefined
      : signed({ notify_id: this.issueNotifyId(RETURN_NOTIFY_ID_TTL_MS) })
    this.returns.push({ outTradeNo: trade.outTradeNo, url, dropped })
    return url
  }

  /** Drives an escrow trade, a refund, a close or the end of the refund window. */
  act(trade: Trade, action: TradeAction): void {
    const [tradeStatus, refundStatus] = this.nextStatus(trade, action)
    this.setStatus(trade, tradeStatus, refundStatus)
  }

  /** Where `action` takes the trade, or an ActionError naming the statuses that allow it. */
  private nextStatus(trade: Trade, action: TradeAction): [TradeStatus, RefundStatus?] {
    const need = (ok: boolean, what: string) => {
      if (!ok)
        throw new ActionError(
          `Cannot ${action.replace('_', ' ')}: ${what} (trade ${trade.tradeStatus}, refund ${trade.refundStatus ?? 'none'})`,
        )
    }
    const refunding =
      trade.refundStatus !== undefined &&
      trade.refundStatus !== 'REFUND_SUCCESS' &&
      trade.refundStatus !== 'REFUND_CLOSED'
    const refundTheRest = () =>
      trade.refunds.push({
        id: `round-${trade.refunds.length + 1}`,
        amountFen: chargedFen(trade) - refundedFen(trade),
        at: this.now(),
      })
    switch (action) {
      case 'ship':
        need(
          trade.tradeStatus === 'WAIT_SELLER_SEND_GOODS' && !refunding,
          'only a paid escrow trade waiting for goods can ship',
        )
        trade.shipped = true
        return ['WAIT_BUYER_CONFIRM_GOODS']
      case 'confirm':
        need(
          trade.tradeStatus === 'WAIT_BUYER_CONFIRM_GOODS' && !refunding,
          'the buyer confirms receipt of shipped goods',
        )
        return ['TRADE_FINISHED']
      case 'close':
        need(trade.tradeStatus === 'WAIT_BUYER_PAY', 'only an unpaid trade closes (timeout)')
        return ['TRADE_CLOSED']
      case 'finish':
        need(
          trade.tradeStatus === 'TRADE_SUCCESS',
          'only a paid instant trade ends its refund window',
        )
        return ['TRADE_FINISHED']
      case 'request_refund':
        need(
          (trade.tradeStatus === 'WAIT_SELLER_SEND_GOODS' ||
            trade.tradeStatus === 'WAIT_BUYER_CONFIRM_GOODS') &&
            (trade.refundStatus === undefined ||
              trade.refundStatus === 'SELLER_REFUSE_BUYER' ||
              trade.refundStatus === 'REFUND_CLOSED'),
          'the buyer asks for a refund on a paid escrow trade, again after a refusal',
        )
        return [trade.tradeStatus, 'WAIT_SELLER_AGREE']
      case 'refuse_refund':
        need(
          trade.refundStatus === 'WAIT_SELLER_AGREE',
          'the seller refuses a pending refund request',
        )
        return [trade.tradeStatus, 'SELLER_REFUSE_BUYER']
      case 'agree_refund':
        need(
          trade.refundStatus === 'WAIT_SELLER_AGREE',
          'the seller agrees to a pending refund request',
        )
        // Goods shipped: they come back first. Not shipped: the money goes back at once.
        if (trade.shipped) return [trade.tradeStatus, 'WAIT_BUYER_RETURN_GOODS']
        refundTheRest()
        return ['TRADE_CLOSED', 'REFUND_SUCCESS']
      case 'return_goods':
        need(
          trade.refundStatus === 'WAIT_BUYER_RETURN_GOODS',
          'the buyer returns goods after the seller agreed',
        )
        return [trade.tradeStatus, 'WAIT_SELLER_CONFIRM_GOODS']
      case 'confirm_return':
        need(
          trade.refundStatus === 'WAIT_SELLER_CONFIRM_GOODS',
          'the seller confirms the returned goods',
        )
        refundTheRest()
        return ['TRADE_CLOSED', 'REFUND_SUCCESS']
      case 'cancel_refund':
        need(
          trade.refundStatus === 'WAIT_SELLER_AGREE' ||
            trade.refundStatus === 'SELLER_REFUSE_BUYER',
          'the buyer withdraws an open refund request',
        )
        return [trade.tradeStatus, 'REFUND_CLOSED']
    }
    throw new ActionError(`Unknown action "${String(action)}"`)
  }

  /** A refund through the API (Open Platform alipay.trade.refund, legacy refund_fastpay_*). */
  refund(trade: Trade, id: string, amountFen: number): void {
    trade.refunds.push({ id, amountFen, at: this.now() })
    const full = refundedFen(trade) >= chargedFen(trade)
    if (trade.gateway === 'open') this.setStatus(trade, full ? 'TRADE_CLOSED' : trade.tradeStatus)
    else this.setStatus(trade, full ? 'TRADE_CLOSED' : trade.tradeStatus, 'REFUND_SUCCESS')
  }

  /**
   * The seller changes an unpaid escrow or dual trade's price at Alipay (修改交易价格): the
   * merchant hears the new total with is_total_fee_adjust=Y (docs/protocol.md,
   * "Amounts Alipay changes"), and the buyer pays that.
   */
  adjustPrice(trade: Trade, amount: string): void {
    if (trade.gateway !== 'legacy' || modeOfService(trade.service) === 'instant')
      throw new ActionError(
        'Only an escrow or dual trade of the legacy gateway has its price changed by the seller',
      )
    if (trade.tradeStatus !== 'WAIT_BUYER_PAY')
      throw new ActionError(`The price changes before payment only (trade ${trade.tradeStatus})`)
    if (!/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(amount) || fen(amount) === 0)
      throw new ActionError(`"${amount}" is not a yuan amount like "90.00"`)
    trade.adjustedFen = fen(amount)
    this.setStatus(trade, 'WAIT_BUYER_PAY')
  }

  /**
   * A legacy refund batch (refund_fastpay_by_platform_pwd / _nopwd; docs/protocol.md,
   * "Legacy refunds"): each line is refunded or refused on its own, with the batch refund's result codes;
   * a refunded trade's own notify_url hears its new status (refund_status, gmt_refund), and the
   * whole result goes to the batch's notify_url as batch_refund_notify.
   */
  refundBatch(batch: RefundBatchRequest): RefundLineResult[] {
    this.refundBatchNos.add(batch.batchNo)
    const results = batch.lines.map(({ tradeNo, amount }): RefundLineResult => {
      const trade = this.trades.get(tradeNo)
      const result = (code: string): RefundLineResult => ({ tradeNo, amount, result: code })
      if (trade?.gateway !== 'legacy') return result('NOT_THIS_PARTNERS_TRADE')
      if (!/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(amount) || fen(amount) === 0)
        return result('REFUND_AMOUNT_NOT_VALID')
      const refused = this.faultsFor(trade.outTradeNo).refundRefused
      if (refused) {
        this.faultLog.push({
          at: this.now(),
          outTradeNo: trade.outTradeNo,
          faults: [`refundRefused=${refused}`],
        })
        return result(refused)
      }
      if (
        trade.paidAt === undefined ||
        trade.tradeStatus === 'TRADE_CLOSED' ||
        trade.tradeStatus === 'TRADE_FINISHED'
      )
        return result('TRADE_STATUS_ERROR')
      // Escrow money is refunded through the buyer's refund request (docs/protocol.md).
      if (trade.mode === 'escrow') return result('TRADE_PRODUCT_TYPE_NOT_ALLOW_REFUND')
      if (fen(amount) > chargedFen(trade) - refundedFen(trade))
        return result('REASON_TRADE_REFUND_FEE_ERR')
      this.refund(trade, batch.batchNo, fen(amount))
      return result('SUCCESS')
    })
    if (batch.notifyUrl) {
      const notifyId = this.issueNotifyId(SERVER_NOTIFY_ID_TTL_MS)
      const content = buildRefundBatchNotification(batch, results, this.merchant, notifyId)
      const first = this.trades.get(batch.lines[0]?.tradeNo ?? '')
      this.deliveries.send(
        {
          outTradeNo: first?.outTradeNo ?? `batch:${batch.batchNo}`,
          notifyId,
          url: batch.notifyUrl,
          params: content.params,
          body: content.body,
          contentType: content.contentType,
          faults: [],
        },
        { copies: 1, hold: false, delayMs: 0, drop: false },
      )
    }
    return results
  }
}
