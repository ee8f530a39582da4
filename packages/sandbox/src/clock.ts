import { AlipayKitError } from '@alipay-kit/core'
/**
 * Time as the simulator sees it. Durations (token lifetimes, the retry schedule) run on this clock,
 * so a time scale or a test's manual clock can compress Alipay's 25-hour retry schedule.
 * Timestamps shown to merchants (notify_time) stay on the wall clock.
 */
export interface Clock {
  /** Milliseconds on the simulator's time line. */
  now(): number
  /** Runs `task` after `ms` of simulator time. */
  schedule(ms: number, task: () => void): { cancel(): void }
}

/** Real time, optionally sped up: with `scale` 1000, four simulated minutes pass in 240 ms. */
export function scaledClock(scale = 1): Clock {
  if (!(scale > 0))
    throw new AlipayKitError('INVALID_CONFIG', `timeScale must be a positive number; got ${scale}`)
  const start = Date.now()
  // setTimeout takes at most 2^31-1 ms (about 24.8 days; longer fires at once): wait in steps.
  const MAX_TIMER_MS = 2 ** 31 - 1
  return {
    now: () => start + (Date.now() - start) * scale,
    schedule(ms, task) {
      let timer: NodeJS.Timeout
      const wait = (realMs: number) => {
        timer = setTimeout(
          () => (realMs > MAX_TIMER_MS ? wait(realMs - MAX_TIMER_MS) : task()),
          Math.min(Math.max(0, realMs), MAX_TIMER_MS),
        )
        timer.unref?.()
      }
      wait(ms / scale)
      return { cancel: () => clearTimeout(timer) }
    },
  }
}

/** A clock a test moves by hand: `advance` runs every task that falls due, in order. */
export class ManualClock implements Clock {
  private current: number
  private tasks: Array<{ at: number; seq: number; task: () => void; cancelled: boolean }> = []
  private seq = 0

  constructor(start = Date.UTC(2026, 10, 24, 4, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current
  }

  schedule(ms: number, task: () => void): { cancel(): void } {
    const entry = { at: this.current + Math.max(0, ms), seq: this.seq++, task, cancelled: false }
    this.tasks.push(entry)
    return { cancel: () => (entry.cancelled = true) }
  }

  /** Moves time forward by `ms`, running due tasks in time order. */
  advance(ms: number): void {
    const target = this.current + ms
    for (;;) {
      const due = this.tasks
        .filter((t) => !t.cancelled && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      this.tasks = this.tasks.filter((t) => t !== due)
      this.current = due.at
      due.task()
    }
    this.current = target
  }

  /** When the next task falls due, if any. */
  nextDue(): number | undefined {
    const pending = this.tasks.filter((t) => !t.cancelled).map((t) => t.at)
    return pending.length === 0 ? undefined : Math.min(...pending)
  }
}

/**
 * A running clock a test (or the admin API, `POST /__admin/clock`) can move forward, like
 * Stripe's test clocks: real (or scaled) time plus an offset. Moving it runs every task that falls
 * due, in order, so expiries, notification retries and the refund window happen at once.
 */
export class TestClock implements Clock {
  private offset = 0
  private tasks: Array<{ at: number; seq: number; task: () => void; cancelled: boolean }> = []
  private seq = 0
  private armed: { cancel(): void } | undefined
  private armedAt: number | undefined

  constructor(private readonly base: Clock = scaledClock(1)) {}

  now(): number {
    return this.base.now() + this.offset
  }

  schedule(ms: number, task: () => void): { cancel(): void } {
    const entry = { at: this.now() + Math.max(0, ms), seq: this.seq++, task, cancelled: false }
    this.tasks.push(entry)
    if (this.armedAt === undefined || entry.at < this.armedAt) this.arm()
    return { cancel: () => (entry.cancelled = true) }
  }

  /** Moves time forward by `ms` (never back), running the tasks that fall due. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new AlipayKitError('INVALID_INPUT', `advance takes a positive number of ms; got ${ms}`)
    this.offset += ms
    this.runDue()
  }

  /** How far this clock is ahead of its base. */
  get advancedMs(): number {
    return this.offset
  }

  private runDue(): void {
    for (;;) {
      const now = this.now()
      const due = this.tasks
        .filter((t) => !t.cancelled && t.at <= now)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!due) break
      this.tasks = this.tasks.filter((t) => t !== due)
      due.task()
    }
    this.tasks = this.tasks.filter((t) => !t.cancelled)
    this.arm()
  }

  /** One base timer, for the earliest task. */
  private arm(): void {
    this.armed?.cancel()
    this.armed = undefined
    this.armedAt = undefined
    if (this.tasks.length === 0) return
    const next = this.tasks.reduce((min, t) => Math.min(min, t.at), Number.POSITIVE_INFINITY)
    this.armedAt = next
    this.armed = this.base.schedule(Math.max(0, next - this.now()), () => this.runDue())
  }
}
