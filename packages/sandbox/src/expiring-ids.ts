/**
 * Ids that are valid until a time (notify ids, anti-phishing keys). Expired ones are dropped as new
 * ones arrive, in sweeps whose cost is amortised over the additions, so a simulator left running
 * (a long demo, a soak test) does not keep every id it ever issued.
 */
export class ExpiringIds {
  /** Below this many ids nothing is swept. */
  static readonly MIN_SWEEP_SIZE = 1024

  private readonly expiries = new Map<string, number>()
  private sweepAtSize = ExpiringIds.MIN_SWEEP_SIZE

  constructor(private readonly now: () => number) {}

  add(id: string, expiresAt: number): void {
    this.expiries.set(id, expiresAt)
    if (this.expiries.size >= this.sweepAtSize) this.sweep()
  }

  /** Whether `id` was issued and has not expired. */
  isValid(id: string | undefined): boolean {
    const expiresAt = id === undefined ? undefined : this.expiries.get(id)
    return expiresAt !== undefined && this.now() <= expiresAt
  }

  get size(): number {
    return this.expiries.size
  }

  /** Every id with its expiry, for persistence. */
  entries(): Array<[string, number]> {
    return [...this.expiries]
  }

  private sweep(): void {
    const now = this.now()
    for (const [id, expiresAt] of this.expiries) if (expiresAt < now) this.expiries.delete(id)
    this.sweepAtSize = Math.max(ExpiringIds.MIN_SWEEP_SIZE, this.expiries.size * 2)
  }
}
