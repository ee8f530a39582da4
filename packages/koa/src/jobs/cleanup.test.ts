import { openTestStore } from '@alipay-kit/testing'
import { describe, expect, it } from 'vitest'
import type { KitContext } from '../context.js'
import { insertFlowState } from '../repositories/flow-states.js'
import { takeTokens } from '../repositories/rate-limits.js'
import { insertSession } from '../repositories/sessions.js'
import { migrate } from '../store/migrations.js'
import { cleanupJob } from './cleanup.js'

describe('the cleanup job', () => {
  it('drops expired sessions, login states and full rate-limit buckets, and keeps live ones', async () => {
    const store = await openTestStore()
    await migrate(store)
    const past = new Date(Date.now() - 60_000)
    const future = new Date(Date.now() + 60_000)
    await insertSession(store, 'expired-session', {}, past)
    await insertSession(store, 'live-session', {}, future)
    for (const [stateHash, expiresAt] of [
      ['expired-state', past],
      ['live-state', future],
    ] as const)
      await insertFlowState(store, {
        stateHash,
        sessionHash: 'live-session',
        kind: 'quick_login',
        returnTo: 'https://shop.example/',
        expiresAt,
      })
    // Rate-limit buckets: one full again (its token came back a minute ago), one still spent.
    const now = Date.now()
    const pace = { emissionMs: 6_000, toleranceMs: 24_000 }
    await takeTokens(store, [{ key: 'orders:ip:10.0.0.1', ...pace }], now - 2 * 60_000)
    await takeTokens(store, [{ key: 'orders:ip:10.0.0.2', ...pace }], now - 1_000)
    const job = cleanupJob()
    expect(job).toMatchObject({ name: 'cleanup', scope: 'singleton' })
    const kit = {
      store,
      config: { clock: () => now },
    } as unknown as KitContext
    expect(await job.run(kit)).toBe(3)
    expect(await store.query('select key from akit_rate_buckets')).toEqual([
      { key: 'orders:ip:10.0.0.2' },
    ])
    expect(await store.query('select id_hash from akit_sessions')).toEqual([
      { id_hash: 'live-session' },
    ])
    expect(await store.query('select state_hash from akit_flow_states')).toEqual([
      { state_hash: 'live-state' },
    ])
    expect(await job.run(kit)).toBe(0)
    await store.close()
  })
})
