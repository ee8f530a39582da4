/** What the sweep's timing depends on (the kit's options, ResolvedConfig). */
export interface SweepTiming {
  /** Minutes after the payment started: when the sweep asks Alipay. */
  readonly sweepScheduleMinutes: readonly number[]
  /** After the schedule, the sweep asks this often. */
  readonly sweepEveryMinutes: number
}

const MINUTE = 60_000

/**
 * When the sweep looks at an order next: the first time of the schedule still ahead (times
 * already behind are skipped, so a sweep that fell behind does not ask in a burst), then every
 * `sweepEveryMinutes`; never after the expiry, when the order is closed (koa README, "The sweep").
 */
export function nextSweepAt(
  timing: SweepTiming,
  createdAt: number,
  expiresAt: number,
  now: number,
): number {
  const scheduled = timing.sweepScheduleMinutes
    .map((minutes) => createdAt + minutes * MINUTE)
    .find((at) => at > now)
  return Math.min(scheduled ?? now + timing.sweepEveryMinutes * MINUTE, expiresAt)
}
