/**
 * Holds the answer to a request refused for its rate before sending it (a tarpit). A client that
 * waits for its answers, as scripts and load tools do, then sends one request per connection and
 * hold instead of thousands a second: a flood costs the shop, and whatever shares its machine,
 * almost nothing (bench/RESULTS.md, "Abuse"). At most `max` answers are held at once; past that
 * they go at once, still cheap (refused from memory). A buyer over a limit waits no longer than
 * the limit's window has left.
 */
export class RefusalHold {
  private held = 0

  constructor(
    private readonly ms: number,
    private readonly max: number,
  ) {}

  /** Answers being held now (metrics). */
  get size(): number {
    return this.held
  }

  /** Resolves after the hold, or at once when holding is off or `max` answers are held already. */
  async hold(windowLeftMs: number): Promise<void> {
    const ms = Math.min(this.ms, windowLeftMs)
    if (ms <= 0 || this.held >= this.max) return
    this.held++
    try {
      await new Promise<void>((resolve) => setTimeout(resolve, ms).unref())
    } finally {
      this.held--
    }
  }
}
