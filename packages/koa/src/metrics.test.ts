import { type Harness, openEventStream, Shopper, startHarness } from '@alipay-kit/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/*
 * GET /metrics scraped over HTTP as Prometheus would, after real traffic: a paid order, a
 * duplicate, a forged notification, an open status stream.
 */

const TOKEN = 'metrics-token-for-tests-0123456789'

/** The value of one series of a Prometheus text answer, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('GET /metrics', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness({ kit: { metricsToken: TOKEN, runJobs: false } })
  })
  afterAll(() => h.close())

  const scrape = async () => {
    const answer = await fetch(`${h.bff.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    return answer.text()
  }

  it('counts notifications by outcome and code, batches, backlogs and open streams', async () => {
    const buyer = new Shopper(h.bff.url)
    const created = await buyer.order('page', [{ sku: 'cup', quantity: 1 }])
    const id = created.order.id
    const stream = await openEventStream(`${h.bff.url}/api/orders/${id}/events`, {
      cookie: buyer.cookie,
    })
    // Alipay sends the paid notification twice: one applied, one duplicate (answered success).
    await h.sandbox.admin.setFaults({ duplicates: 2 }, id)
    await buyer.payAtSimulator(h.sandbox, created)
    const [delivered] = h.sandbox.simulator.deliveries.list(id)
    await expect
      .poll(() => h.sandbox.simulator.deliveries.list(id).flatMap((d) => d.attempts).length)
      .toBe(2)
    // A forged one (the amount changed after signing): refused, with its code.
    const forged = await fetch(delivered?.url as string, {
      method: 'POST',
      headers: { 'content-type': delivered?.contentType as string },
      body: (delivered?.body ?? '').replace(/total_amount=[^&]*/, 'total_amount=0.02'),
    })
    expect(await forged.text()).toBe('fail')

    const text = await scrape()
    const series = (outcome: string, code = '') =>
      `alipay_kit_notifications_total{gateway="open",outcome="${outcome}",code="${code}"}`
    expect(sample(text, series('applied'))).toBe(1)
    expect(sample(text, series('duplicate'))).toBe(1)
    expect(sample(text, series('rejected', 'BAD_SIGNATURE'))).toBe(1)
    expect(sample(text, 'alipay_kit_apply_batch_size_count')).toBeGreaterThanOrEqual(2)
    expect(
      sample(text, 'alipay_kit_notify_duration_seconds_count{gateway="open",outcome="applied"}'),
    ).toBe(1)
    // The paid order's hooks ran (jobs are off here, but a transition's hooks run at once).
    expect(sample(text, 'alipay_kit_hook_backlog')).toBe(0)
    expect(sample(text, 'alipay_kit_webhook_backlog')).toBe(0)
    expect(sample(text, 'alipay_kit_sse_streams')).toBe(1)
    expect(sample(text, 'alipay_kit_process_resident_memory_bytes')).toBeGreaterThan(0)
    stream.close()
    await expect.poll(async () => sample(await scrape(), 'alipay_kit_sse_streams')).toBe(0)
  })

  it('answers only the metrics token: not the merchant API secret, not nothing', async () => {
    expect((await fetch(`${h.bff.url}/metrics`)).status).toBe(401)
    const merchant = await fetch(`${h.bff.url}/metrics`, {
      headers: { authorization: 'Bearer merchant-secret-for-tests-0123456789' },
    })
    expect(merchant.status).toBe(401)
  })
})

describe('a kit without a metrics token', () => {
  it('does not serve /metrics', async () => {
    const h = await startHarness()
    try {
      expect((await fetch(`${h.bff.url}/metrics`)).status).toBe(404)
      expect(await h.bff.kit.metrics.getSingleMetricAsString('alipay_kit_sse_streams')).toContain(
        'alipay_kit_sse_streams',
      )
    } finally {
      await h.close()
    }
  })
})
