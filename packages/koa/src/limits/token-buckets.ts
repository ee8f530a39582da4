import { takeTokens } from '../repositories/rate-limits.js'
import type { Store } from '../store/types.js'

/**
 * One client's bucket under one limit, as GCRA (the generic cell rate algorithm) keeps it: a token
 * comes back every `emissionMs`, and a request may go `toleranceMs` ahead of that pace (the burst:
 * `toleranceMs = (burst - 1) × emissionMs`). The state is one number per key, the theoretical
 * arrival time (TAT): a request at `now` is allowed when `max(TAT, now) - now ≤ toleranceMs`, and
 * then moves TAT on by `emissionMs`; a refused request changes nothing.
 */
export interface Bucket {
  readonly key: string
  readonly emissionMs: number
  readonly toleranceMs: number
}

/**
 * Takes a token from each bucket, shared by every instance: in the store by default, in Redis
 * when one is configured (one round trip either way). Answers, per key, 0 when its token was
 * taken, or the ms until one can be. Each key is decided on its own (a request refused by one
 * limit still spends the other's token, as a counter would count it).
 */
export interface TokenBuckets {
  take(buckets: readonly Bucket[], now: number): Promise<Map<string, number>>
}

/** Buckets in the kit's own store (table akit_rate_buckets; the cleanup job drops full ones). */
export function storeTokenBuckets(store: Store): TokenBuckets {
  return { take: (buckets, now) => takeTokens(store, buckets, now) }
}

/**
 * The part of an ioredis client the limits use (`new Redis(url)` from the ioredis package): one
 * EVAL of the script below per request.
 */
export interface RedisClientLike {
  eval(script: string, numKeys: number, ...keysAndArgs: Array<string | number>): Promise<unknown>
}

/**
 * GCRA in Redis, atomically for all keys of a request: ARGV[1] is now, then each key's emission
 * and tolerance (ms). TAT is kept as text (fractions of a ms add up) and expires when the bucket
 * is full again, so Redis drops idle clients by itself. Answers each key's wait in whole ms.
 */
const GCRA_SCRIPT = `
local now = tonumber(ARGV[1])
local waits = {}
for i, key in ipairs(KEYS) do
  local emission = tonumber(ARGV[2 * i])
  local tolerance = tonumber(ARGV[2 * i + 1])
  local tat = math.max(tonumber(redis.call('GET', key) or '0'), now)
  if tat - now <= tolerance then
    redis.call('SET', key, string.format('%.3f', tat + emission), 'PX', math.ceil(tat + emission - now))
    waits[i] = 0
  else
    waits[i] = math.ceil(tat - tolerance - now)
  end
end
return waits
`

/** Buckets in Redis (keys `akit:rl:<limit>:<ip|sid>:<client>`). */
export function redisTokenBuckets(redis: RedisClientLike): TokenBuckets {
  return {
    async take(buckets, now) {
      const args: Array<string | number> = [now]
      for (const bucket of buckets) args.push(bucket.emissionMs, bucket.toleranceMs)
      const waits = await redis.eval(
        GCRA_SCRIPT,
        buckets.length,
        ...buckets.map((bucket) => `akit:rl:${bucket.key}`),
        ...args,
      )
      if (!Array.isArray(waits) || waits.length !== buckets.length)
        throw new Error(`Redis answered the rate-limit script with ${JSON.stringify(waits)}`)
      return new Map(buckets.map((bucket, i) => [bucket.key, Number(waits[i])]))
    },
  }
}
