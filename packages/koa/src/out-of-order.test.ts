import { decideTransition, initialPaymentState, md5Sign, type StatusReport } from '@alipay-kit/core'
import {
  createTestDatabase,
  type Harness,
  openTestStore,
  Shopper,
  startHarness,
} from '@alipay-kit/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from './store/open-store.js'
import type { Store } from './store/types.js'

/*
 * Out of order, at the BFF: each order's full trade and refund sequence is delivered as genuine,
 * signed notifications (notify ids issued by the simulator, so notify_verify says true) in a random
 * order. The order must end in its furthest state, and hooks run once per transition actually made.
 */

type Step = { trade: string; refund?: string; refundFee?: string }

const SEQUENCES: Record<string, Step[]> = {
  delivered: [
    { trade: 'WAIT_BUYER_PAY' },
    { trade: 'WAIT_SELLER_SEND_GOODS' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS' },
    { trade: 'TRADE_FINISHED' },
  ],
  returnedAfterRefusal: [
    { trade: 'WAIT_BUYER_PAY' },
    { trade: 'WAIT_SELLER_SEND_GOODS' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS', refund: 'WAIT_SELLER_AGREE' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS', refund: 'SELLER_REFUSE_BUYER' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS', refund: 'WAIT_SELLER_AGREE' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS', refund: 'WAIT_BUYER_RETURN_GOODS' },
    { trade: 'WAIT_BUYER_CONFIRM_GOODS', refund: 'WAIT_SELLER_CONFIRM_GOODS' },
    { trade: 'TRADE_CLOSED', refund: 'REFUND_SUCCESS', refundFee: '128.00' },
  ],
  refundedBeforeShipping: [
    { trade: 'WAIT_BUYER_PAY' },
    { trade: 'WAIT_SELLER_SEND_GOODS' },
    { trade: 'WAIT_SELLER_SEND_GOODS', refund: 'WAIT_SELLER_AGREE' },
    { trade: 'TRADE_CLOSED', refund: 'REFUND_SUCCESS', refundFee: '128.00' },
  ],
}

const pg = await createTestDatabase()
afterAll(() => pg?.drop())

describe(`out-of-order notifications at the BFF (${pg ? 'PostgreSQL' : 'PGlite'})`, () => {
  let h: Harness
  let store: Store
  beforeAll(async () => {
    store = await (pg ? openStore(pg.url) : openTestStore())
    h = await startHarness({ store })
  })
  afterAll(async () => {
    await h.close()
    await store.close()
  })

  /** Posts one step as Alipay would: signed with the merchant's key, a notify_id the simulator issued. */
  async function deliver(orderId: string, tradeNo: string, step: Step) {
    const c = h.sandbox.credentials
    const fields: Record<string, string> = {
      notify_id: h.sandbox.simulator.issueNotifyId(3_600_000),
      notify_type: 'trade_status_sync',
      out_trade_no: orderId,
      trade_no: tradeNo,
      trade_status: step.trade,
      total_fee: '128.00',
      seller_id: c.partner,
      ...(step.refund ? { refund_status: step.refund } : {}),
      ...(step.refundFee ? { refund_fee: step.refundFee } : {}),
    }
    const body = new URLSearchParams({
      ...fields,
      sign: md5Sign(fields, c.key, 'utf-8'),
      sign_type: 'MD5',
    })
    const response = await fetch(`${h.bff.url}/alipay/notify/legacy`, { method: 'POST', body })
    return response.text()
  }

  it('any permutation of each sequence ends in the furthest state; each hook once per applied transition', async () => {
    const kinds = Object.keys(SEQUENCES)
    const cases = fc.sample(
      fc.record({
        kind: fc.constantFrom(...kinds),
        order: fc.array(fc.nat(), { minLength: 9, maxLength: 9 }),
      }),
      { numRuns: 24, seed: 20261125 },
    )
    await Promise.all(
      cases.map(async ({ kind, order: keys }, index) => {
        const steps = SEQUENCES[kind] as Step[]
        // A permutation from the random keys (stable sort by key, then original position).
        const shuffled = steps
          .map((step, i) => ({ step, key: keys[i] ?? 0, i }))
          .sort((a, b) => a.key - b.key || a.i - b.i)
          .map(({ step }) => step)
        const buyer = new Shopper(h.bff.url)
        const created = await buyer.order('escrow', [{ sku: 'tea-longjing', quantity: 1 }])
        const tradeNo = `2026112522${String(index).padStart(14, '0')}`
        const answers = []
        for (const step of shuffled) answers.push(await deliver(created.order.id, tradeNo, step))
        expect(answers.every((answer) => answer === 'success')).toBe(true)

        const furthest = steps.at(-1) as Step
        const [row] = await store.query<{ trade_status: string; refund_status: string | null }>(
          'select trade_status, refund_status from akit_orders where id = $1',
          [created.order.id],
        )
        expect({ kind, trade: row?.trade_status, refund: row?.refund_status ?? undefined }).toEqual(
          {
            kind,
            trade: furthest.trade,
            refund: furthest.refund,
          },
        )

        // Hooks: exactly one call per event the BFF recorded, never one key twice.
        const events = await store.query<{ key: string }>(
          'select key from akit_order_events where order_id = $1 order by key',
          [created.order.id],
        )
        const calls = h.hookLog
          .filter((call) => call.orderId === created.order.id)
          .map((call) => call.key)
        expect([...calls].sort()).toEqual(events.map((event) => event.key))
        expect(new Set(calls).size).toBe(calls.length)
        // And nothing the natural order would not have produced.
        let state = initialPaymentState('escrow')
        const natural = new Set<string>()
        for (const step of steps) {
          const report: StatusReport = {
            tradeStatus: step.trade as StatusReport['tradeStatus'],
            refundStatus: step.refund as StatusReport['refundStatus'],
            refundId: step.refundFee ? `total-${step.refundFee.replace('.', '')}` : undefined,
          }
          const decision = decideTransition(state, report)
          if (decision.kind === 'transition') {
            state = decision.next
            for (const event of decision.events) natural.add(event.event)
          }
        }
        const eventNames = await store.query<{ event: string }>(
          'select event from akit_order_events where order_id = $1',
          [created.order.id],
        )
        for (const { event } of eventNames)
          expect(natural.has(event), `${kind}: ${event}`).toBe(true)
        expect(eventNames.some(({ event }) => event === 'paid')).toBe(true)
      }),
    )
  })
})
