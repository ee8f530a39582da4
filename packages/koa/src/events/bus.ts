import type { Logger } from 'pino'
import type { Store } from '../store/types.js'
import { ORDER_CHANNEL, ORDER_ID_SEPARATOR } from './channel.js'

/**
 * Order status changes, from any instance: every batch of applied transitions NOTIFYs their order
 * ids on one channel (events/channel.ts), and each instance LISTENs once and hands each id to its
 * local subscribers (SSE streams).
 */
export class OrderEvents {
  private readonly subscribers = new Map<string, Set<() => void>>()
  private unlisten: (() => Promise<void>) | undefined

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.store.listen(ORDER_CHANNEL, (payload) => {
      for (const orderId of payload.split(ORDER_ID_SEPARATOR)) this.emit(orderId)
    })
  }

  async stop(): Promise<void> {
    await this.unlisten?.()
  }

  /** Calls `onChange` whenever the order changes; returns the unsubscribe. */
  subscribe(orderId: string, onChange: () => void): () => void {
    let set = this.subscribers.get(orderId)
    if (!set) {
      set = new Set()
      this.subscribers.set(orderId, set)
    }
    set.add(onChange)
    return () => {
      set.delete(onChange)
      if (set.size === 0) this.subscribers.delete(orderId)
    }
  }

  /** Open subscriptions, for health and benchmarks. */
  get size(): number {
    let count = 0
    for (const set of this.subscribers.values()) count += set.size
    return count
  }

  emit(orderId: string): void {
    for (const callback of this.subscribers.get(orderId) ?? []) {
      try {
        callback()
      } catch (error) {
        this.logger.warn({ err: { message: (error as Error).message } }, 'order subscriber failed')
      }
    }
  }
}
