import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** How a notification ended, as the notify endpoint answered it. */
export type NotificationOutcome = 'applied' | 'duplicate' | 'stale' | 'rejected' | 'failed'

/** What the metrics read when they are scraped. */
export interface MetricsSources {
  /** Hook jobs and webhook deliveries still to do (a store query, once per scrape). */
  backlog(): Promise<{ hooks: number; webhooks: number }>
  /** Status streams open on this instance. */
  streams(): number
  /** Rate-limit refusals being held before they are sent (each holds its socket). */
  heldRefusals(): number
}

/**
 * The kit's Prometheus metrics (prom-client), in a registry of their own: notifications by
 * outcome and rejection code, how long the endpoint took, the applier's batches, the outboxes'
 * backlog, open status streams, store errors, requests refused by the rate limits and refusals
 * being held. What each is
 * for, and a scrape config: packages/koa/README.md, "Metrics".
 */
export class KitMetrics {
  readonly registry = new Registry()
  private readonly notifications = new Counter({
    name: 'alipay_kit_notifications_total',
    help: 'Alipay notifications by gateway, outcome (applied, duplicate, stale, rejected, failed) and rejection code',
    labelNames: ['gateway', 'outcome', 'code'] as const,
    registers: [this.registry],
  })
  private readonly notifySeconds = new Histogram({
    name: 'alipay_kit_notify_duration_seconds',
    help: 'From a notification read to its answer (verify, apply, commit)',
    labelNames: ['gateway', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  })
  private readonly batchSize = new Histogram({
    name: 'alipay_kit_apply_batch_size',
    help: 'Status updates decided and written together in one batch (one read, one write, one commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [this.registry],
  })
  private readonly batchSeconds = new Histogram({
    name: 'alipay_kit_apply_batch_duration_seconds',
    help: 'One batch of status updates: read, decide, write and commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  })
  private readonly storeErrors = new Counter({
    name: 'alipay_kit_store_errors_total',
    help: 'Store operations that failed because the store could not be reached',
    labelNames: ['where'] as const,
    registers: [this.registry],
  })
  private readonly limited = new Counter({
    name: 'alipay_kit_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit or a stream cap, by limit',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  })

  constructor(sources: MetricsSources, options: { processMetrics?: boolean } = {}) {
    const backlog = { hooks: 0, webhooks: 0 }
    let read: Promise<void> | undefined
    // One store query per scrape feeds both backlog gauges.
    const refresh = () => {
      read ??= sources
        .backlog()
        .then(
          (b) => {
            Object.assign(backlog, b)
          },
          () => this.storeError('metrics'),
        )
        .finally(() => {
          read = undefined
        })
      return read
    }
    for (const [name, help, pick] of [
      ['alipay_kit_hook_backlog', 'Hook jobs not yet done (pending or running)', 'hooks'],
      ['alipay_kit_webhook_backlog', 'Webhook deliveries not yet delivered', 'webhooks'],
    ] as const)
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          await refresh()
          this.set(backlog[pick])
        },
      })
    for (const [name, help, read] of [
      ['alipay_kit_sse_streams', 'Order status streams open on this instance', sources.streams],
      [
        'alipay_kit_refusals_held',
        'Requests refused by the rate limits whose 429 is being held before it is sent',
        sources.heldRefusals,
      ],
    ] as const)
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read())
        },
      })
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'alipay_kit_' })
  }

  notification(gateway: string, outcome: NotificationOutcome, code: string, seconds: number): void {
    this.notifications.inc({ gateway, outcome, code })
    this.notifySeconds.observe({ gateway, outcome }, seconds)
  }

  batch(size: number, seconds: number): void {
    this.batchSize.observe(size)
    this.batchSeconds.observe(seconds)
  }

  storeError(where: string): void {
    this.storeErrors.inc({ where })
  }

  rateLimited(limit: string): void {
    this.limited.inc({ limit })
  }
}
