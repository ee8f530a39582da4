import { AlipayConfigError } from '@alipay-kit/core'

/**
 * How long the notification log keeps what, and how much of what anyone can send it keeps
 * (packages/koa/README.md, "Background jobs"; docs/security.md, "Unauthenticated writes").
 */
export interface RetentionOptions {
  /**
   * Days the log keeps the entries of verified messages: Alipay's notifications, returns, the
   * BFF's queries. Default 90: a quarter of refunds, disputes and reconciliations after a payment
   * can still be explained from it; the order's state and events are kept whatever this says.
   */
  readonly notificationLogDays?: number
  /**
   * Days the log keeps the entries of messages that did not verify. Default 7: a wrong key
   * refuses Alipay's own messages, and a week (Alipay retries for about 25 hours) is time to
   * notice; anyone can write these, so they go sooner.
   */
  readonly refusedLogDays?: number
  /**
   * Unverified messages that get an entry of their own per minute, all together. Past it, each is
   * counted on one entry per gateway, channel, code and minute. Default 60.
   */
  readonly refusedPerMinute?: number
}

export interface ResolvedRetention {
  readonly notificationLogDays: number
  readonly refusedLogDays: number
  readonly refusedPerMinute: number
}

function whole(value: unknown, option: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)
    throw new AlipayConfigError(
      option,
      `${option} must be a whole number from 1 to ${max}; got ${JSON.stringify(value)}`,
    )
  return value
}

/** The retention options with their defaults, checked at start-up. */
export function retentionOf(input: RetentionOptions | undefined): ResolvedRetention {
  return {
    notificationLogDays: whole(
      input?.notificationLogDays ?? 90,
      'retention.notificationLogDays',
      36_500,
    ),
    refusedLogDays: whole(input?.refusedLogDays ?? 7, 'retention.refusedLogDays', 36_500),
    refusedPerMinute: whole(input?.refusedPerMinute ?? 60, 'retention.refusedPerMinute', 100_000),
  }
}
