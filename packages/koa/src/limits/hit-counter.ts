import { countHits } from '../repositories/rate-limits.js'
import type { Store } from '../store/types.js'

/**
 * Counts requests per client key in fixed windows, shared by every instance: in the store by
 * default, in Redis when one is configured (one round trip either way).
 */
export interface HitCounter {
  /** Adds one hit to each key in the window starting at `windowStart`; answers each key's hits. */
  count(
    keys: readonly string[],
    windowStart: number,
    windowMs: number,
  ): Promise<Map<string, number>>
}

/** Counters in the kit's own store (table akit_rate_limits; the cleanup job drops old windows). */
export function storeHitCounter(store: Store): HitCounter {
  return { count: (keys, windowStart) => countHits(store, keys, windowStart) }
}

/**
 * The part of an ioredis client the limits use (`new Redis(url)` from the ioredis package): one
 * MULTI of INCR and PEXPIRE per key.
 */
export interface RedisClientLike {
  multi(): RedisMulti
}
export interface RedisMulti {
  incr(key: string): RedisMulti
  pexpire(key: string, ms: number): RedisMulti
  exec(): Promise<Array<[Error | null, unknown]> | null>
}

/** Counters in Redis: each key's window expires by itself a window after it ends. */
export function redisHitCounter(redis: RedisClientLike): HitCounter {
  return {
    async count(keys, windowStart, windowMs) {
      let multi = redis.multi()
      for (const key of keys)
        multi = multi
          .incr(`akit:rl:${key}:${windowStart}`)
          .pexpire(`akit:rl:${key}:${windowStart}`, 2 * windowMs)
      const replies = (await multi.exec()) ?? []
      const hits = new Map<string, number>()
      keys.forEach((key, i) => {
        const [error, value] = replies[2 * i] ?? [new Error('no reply'), 0]
        if (error) throw error
        hits.set(key, Number(value))
      })
      return hits
    },
  }
}
