import { createHash } from 'node:crypto'
import type { Gateway } from '@alipay-kit/client'
import { isAlipayKitError, type RawNotification } from '@alipay-kit/core'
import { gatewayFor, type KitContext } from '../context.js'
import type { NotificationOutcome } from '../metrics/kit-metrics.js'
import { logReceived } from '../repositories/notifications.js'
import { afterApply } from './after-apply.js'
import { applyRefundBatch } from './refund-batch.js'

/** What the notify endpoint answers: exactly `success` once committed, otherwise `fail` (Alipay retries). */
export interface NotifyAnswer {
  readonly status: number
  readonly body: 'success' | 'fail'
}

/**
 * Handles one notification from its raw bytes: verify (signature, plus notify_verify on the
 * legacy gateway), check it against the order, apply the transition in one transaction, run the
 * hooks of new transitions, and only then answer `success`. A rejection is logged with its reason
 * and answered `fail` with nothing changed; a duplicate is answered `success` and does nothing;
 * a store that is down is answered `fail` (503) so that Alipay tries again later.
 */
export async function processNotification(
  kit: KitContext,
  kind: Gateway,
  raw: RawNotification,
): Promise<NotifyAnswer> {
  const started = performance.now()
  const { answer, outcome, code } = await decide(kit, kind, raw)
  kit.metrics.notification(kind, outcome, code ?? '', (performance.now() - started) / 1000)
  return answer
}

const SUCCESS: NotifyAnswer = { status: 200, body: 'success' }
const REFUSED: NotifyAnswer = { status: 400, body: 'fail' }

async function decide(
  kit: KitContext,
  kind: Gateway,
  raw: RawNotification,
): Promise<{ answer: NotifyAnswer; outcome: NotificationOutcome; code?: string }> {
  const log = kit.config.logger
  try {
    const result = await gatewayFor(kit, kind).verifyNotification(raw)
    if (!result.ok) {
      const { rejection } = result
      // Anyone can send this: a digest and a few short fields, repeats counted (docs/security.md,
      // "Unauthenticated writes").
      await logReceived(
        kit.store,
        {
          gateway: kind,
          channel: 'notify',
          verified: false,
          digest: createHash('sha256').update(raw.body).digest('hex'),
          bytes: raw.body.byteLength,
          orderId: rejection.params?.out_trade_no,
          notifyId: rejection.params?.notify_id,
          tradeStatus: rejection.params?.trade_status,
          refundStatus: rejection.params?.refund_status,
          outcome: 'rejected',
          code: rejection.code,
          reason: rejection.reason,
          params: rejection.params,
        },
        kit.config.retention.refusedPerMinute,
      )
      log.warn(
        { notification: { gateway: kind, outcome: 'rejected', code: rejection.code } },
        'notification',
      )
      return { answer: REFUSED, outcome: 'rejected', code: rejection.code }
    }
    const n = result.notification
    if (n.kind === 'refund_batch') {
      const { applied, unknown } = await applyRefundBatch(kit, n)
      for (const one of applied) await afterApply(kit, one)
      const refused = applied.some((one) => one.outcome === 'rejected')
      log.info(
        {
          notification: {
            gateway: kind,
            batchNo: n.batchNo,
            lines: n.results.length,
            outcome: unknown.length > 0 || refused ? 'rejected' : 'applied',
            ...(unknown.length > 0 ? { unknownTrades: unknown } : {}),
          },
        },
        'refund batch notification',
      )
      return unknown.length > 0
        ? { answer: REFUSED, outcome: 'rejected', code: 'UNKNOWN_ORDER' }
        : refused
          ? { answer: REFUSED, outcome: 'rejected', code: 'REFUND_REFUSED' }
          : { answer: SUCCESS, outcome: 'applied' }
    }
    const applied = await kit.applier.apply({
      gateway: kind,
      channel: 'notify',
      orderId: n.outTradeNo,
      notifyId: n.notifyId,
      report: { tradeStatus: n.tradeStatus, refundStatus: n.refundStatus, refundId: n.refundId },
      amountFen: n.amountFen,
      tradeNo: n.tradeNo,
      buyerId: n.buyerId,
      refundFen: n.refundFen,
      params: n.params,
    })
    log.info(
      {
        notification: {
          gateway: kind,
          orderId: n.outTradeNo,
          tradeStatus: n.tradeStatus,
          refundStatus: n.refundStatus,
          outcome: applied.outcome,
          ...(applied.outcome === 'rejected' ? { code: applied.code } : {}),
        },
      },
      'notification',
    )
    if (applied.outcome === 'rejected')
      return { answer: REFUSED, outcome: 'rejected', code: applied.code }
    await afterApply(kit, applied)
    return { answer: SUCCESS, outcome: applied.outcome }
  } catch (error) {
    log.error(
      { notification: { gateway: kind }, err: { message: (error as Error).message } },
      'notification failed',
    )
    if (isAlipayKitError(error, 'STORE_UNAVAILABLE')) kit.metrics.storeError('notify')
    return {
      answer: { status: 503, body: 'fail' },
      outcome: 'failed',
      code: isAlipayKitError(error) ? error.code : 'INTERNAL',
    }
  }
}
