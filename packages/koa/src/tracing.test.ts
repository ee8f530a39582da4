import { Shopper, startHarness } from '@alipay-kit/testing'
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * The kit's OpenTelemetry spans, seen by the real SDK an application would register: the kit
 * itself depends on @opentelemetry/api alone.
 */

const exporter = new InMemorySpanExporter()
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  trace.setGlobalTracerProvider(provider)
})
afterAll(async () => {
  await provider.shutdown()
  trace.disable()
  context.disable()
})

describe('spans', () => {
  it('a notification, its batch, its hooks (a failing one marked) and the gateway calls', async () => {
    let failOnce = true
    const h = await startHarness({
      kit: {
        hooks: {
          onPaid: () => {},
          onClosed: () => {
            if (failOnce) {
              failOnce = false
              throw new Error('the warehouse is down')
            }
          },
        },
      },
    })
    try {
      const buyer = new Shopper(h.bff.url)
      const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await buyer.payAtSimulator(h.sandbox, created)
      // The merchant asks Alipay about the order: a gateway call.
      const query = await fetch(`${h.bff.url}/api/merchant/orders/${created.order.id}/query`, {
        method: 'POST',
        headers: { authorization: 'Bearer merchant-secret-for-tests-0123456789' },
      })
      expect(query.status).toBe(200)
      // An unpaid order closed by the merchant: its onClosed hook fails once.
      const other = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
      await fetch(other.payment.url, { redirect: 'manual' }) // the trade exists at Alipay
      const closed = await fetch(`${h.bff.url}/api/merchant/orders/${other.order.id}/close`, {
        method: 'POST',
        headers: { authorization: 'Bearer merchant-secret-for-tests-0123456789' },
      })
      expect(closed.status, await closed.clone().text()).toBe(200)
      await expect
        .poll(() => exporter.getFinishedSpans().filter((s) => s.name === 'alipay_kit.hook').length)
        .toBeGreaterThanOrEqual(2)

      const spans = exporter.getFinishedSpans()
      const notify = spans.find(
        (s) => s.name === 'alipay.notify' && s.attributes['alipay.answer'] === 'success',
      )
      expect(notify?.kind).toBe(SpanKind.SERVER)
      expect(notify?.attributes['alipay.gateway']).toBe('open')
      const apply = spans.find((s) => s.name === 'alipay_kit.apply')
      expect(apply?.attributes['alipay_kit.batch_size']).toBeGreaterThanOrEqual(1)
      const paidHook = spans.find(
        (s) => s.name === 'alipay_kit.hook' && s.attributes['alipay_kit.hook'] === 'onPaid',
      )
      expect(paidHook?.attributes['alipay_kit.order_id']).toBe(created.order.id)
      const failed = spans.find(
        (s) => s.name === 'alipay_kit.hook' && s.attributes['alipay_kit.hook'] === 'onClosed',
      )
      expect(failed?.status).toMatchObject({
        code: SpanStatusCode.ERROR,
        message: 'the warehouse is down',
      })
      const gateway = spans.filter((s) => s.name === 'alipay.gateway')
      expect(gateway.map((s) => s.attributes['alipay.method'])).toContain('alipay.trade.query')
      for (const span of gateway) {
        expect(span.kind).toBe(SpanKind.CLIENT)
        expect(span.attributes['http.response.status_code']).toBe(200)
        // Never the signed query string.
        expect(JSON.stringify(span.attributes)).not.toMatch(/sign=|app_id=/)
      }
    } finally {
      await h.close()
    }
  }, 60_000)
})
