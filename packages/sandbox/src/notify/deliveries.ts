import type { Clock } from '../clock.js'
import { RETRY_DELAYS_MS } from './schedule.js'

/** One try to deliver a notification and what the merchant answered. */
export interface Attempt {
  /** Simulator time of the try. */
  readonly at: number
  readonly status: number | undefined
  /** The merchant's answer, cut to 200 characters. */
  readonly answer: string
  readonly error: string | undefined
}

/** A notification on its way, with every try made. */
export interface Delivery {
  readonly id: number
  readonly outTradeNo: string
  readonly notifyId: string
  readonly url: string
  /** The fields as sent (after faults). */
  readonly params: Readonly<Record<string, string>>
  /** The exact body sent. */
  readonly body: string
  readonly contentType: string
  /** Faults applied to this notification, by name. */
  readonly faults: readonly string[]
  readonly attempts: Attempt[]
  /** `dropped`: never sent (the dropNotifications fault: the merchant's server was unreachable throughout). */
  state: 'held' | 'pending' | 'delivered' | 'failed' | 'dropped'
}

export type Fetch = typeof fetch

/** Sends notifications and retries them on Alipay's schedule until the answer is exactly `success`. */
export class Deliveries {
  private readonly all: Delivery[] = []
  private readonly held = new Map<string, Delivery[]>()
  private nextId = 1
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly clock: Clock,
    private readonly fetchImpl: Fetch = fetch,
  ) {}

  /** Queues `copies` deliveries of one notification; held ones wait for {@link release}. */
  send(
    input: Omit<Delivery, 'id' | 'attempts' | 'state'>,
    options: { copies: number; hold: boolean; delayMs: number; drop: boolean },
  ): Delivery[] {
    const created: Delivery[] = []
    for (let copy = 0; copy < Math.max(1, options.copies); copy++) {
      const delivery: Delivery = {
        ...input,
        id: this.nextId++,
        attempts: [],
        state: options.drop ? 'dropped' : options.hold ? 'held' : 'pending',
      }
      this.all.push(delivery)
      created.push(delivery)
      if (options.drop) continue
      if (options.hold) {
        const list = this.held.get(input.outTradeNo) ?? []
        list.push(delivery)
        this.held.set(input.outTradeNo, list)
      } else this.schedule(delivery, options.delayMs)
    }
    return created
  }

  /** Releases an order's held notifications, newest first (out of order, as Alipay may deliver them). */
  release(outTradeNo: string): number {
    const list = this.held.get(outTradeNo) ?? []
    this.held.delete(outTradeNo)
    for (const delivery of [...list].reverse()) {
      delivery.state = 'pending'
      this.schedule(delivery, 0)
    }
    return list.length
  }

  list(outTradeNo?: string): readonly Delivery[] {
    return outTradeNo === undefined ? this.all : this.all.filter((d) => d.outTradeNo === outTradeNo)
  }

  /** Resolves when no try is in flight (tests wait on this after moving a manual clock). */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private schedule(delivery: Delivery, extraDelay: number): void {
    const tryNumber = delivery.attempts.length
    const delay = (RETRY_DELAYS_MS[tryNumber] ?? 0) + (tryNumber === 0 ? extraDelay : 0)
    this.clock.schedule(delay, () => {
      const attempt = this.attempt(delivery).finally(() => this.inFlight.delete(attempt))
      this.inFlight.add(attempt)
    })
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const at = this.clock.now()
    let status: number | undefined
    let answer = ''
    let error: string | undefined
    try {
      const response = await this.fetchImpl(delivery.url, {
        method: 'POST',
        headers: { 'content-type': delivery.contentType },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(15_000),
      })
      status = response.status
      answer = (await response.text()).slice(0, 200)
    } catch (caught) {
      error = (caught as Error).message
    }
    delivery.attempts.push({ at, status, answer, error })
    // Exactly `success`: no HTML, no whitespace, no other case (docs/protocol.md, "Answering a notification").
    if (status === 200 && answer === 'success') delivery.state = 'delivered'
    else if (delivery.attempts.length >= RETRY_DELAYS_MS.length) delivery.state = 'failed'
    else this.schedule(delivery, 0)
  }
}
