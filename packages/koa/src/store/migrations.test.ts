import { describe, expect, it } from 'vitest'
import { migrate } from './migrations.js'
import { openStore } from './open-store.js'

describe('migration 6 (expiries and the sweep)', () => {
  it('gives orders waiting from before it 30 more minutes and sweeps them; leaves paid ones alone', async () => {
    const store = await openStore('memory://')
    try {
      await migrate(store, 5)
      const insert = (id: string, status: string, minutesAgo: number) =>
        store.query(
          `insert into akit_orders (id, access_token_hash, gateway, service, subject, amount_fen,
             items, state, trade_status, created_at)
           values ($1, 'h', 'legacy', 'instant', '茶', 100, '[]', '{}', $2,
             now() - make_interval(mins => $3))`,
          [id, status, minutesAgo],
        )
      await insert('OLD-WAITING', 'WAIT_BUYER_PAY', 600)
      await insert('NEW-WAITING', 'WAIT_BUYER_PAY', 5)
      await insert('OLD-PAID', 'TRADE_SUCCESS', 600)
      expect(await migrate(store)).toBeGreaterThan(0)
      const rows = await store.query<{
        id: string
        payable_min: number | null
        swept: boolean
      }>(
        `select id, round(extract(epoch from (expires_at - now())) / 60)::int as payable_min,
           sweep_next_at is not null as swept
         from akit_orders order by id`,
      )
      expect(rows).toEqual([
        { id: 'NEW-WAITING', payable_min: 30, swept: true },
        { id: 'OLD-PAID', payable_min: null, swept: false },
        { id: 'OLD-WAITING', payable_min: 30, swept: true },
      ])
      expect(await migrate(store)).toBe(0)
    } finally {
      await store.close()
    }
  })
})

describe('migration 10 (the event feed)', () => {
  it('numbers the events from before it in the order they happened, and new ones after them', async () => {
    const store = await openStore('memory://')
    try {
      await migrate(store, 9)
      await store.query(
        `insert into akit_orders (id, access_token_hash, gateway, service, subject, amount_fen,
           items, state, trade_status)
         values ('A', 'h', 'open', 'page', '茶', 100, '[]', '{}', 'TRADE_SUCCESS'),
                ('B', 'h', 'open', 'page', '茶', 100, '[]', '{}', 'TRADE_SUCCESS')`,
      )
      // Inserted out of time order: B's paid happened first.
      await store.query(
        `insert into akit_order_events (order_id, key, event, channel, created_at) values
           ('A', 'paid', 'paid', 'notify', now() - interval '1 hour'),
           ('B', 'paid', 'paid', 'notify', now() - interval '2 hours'),
           ('A', 'shipped', 'shipped', 'merchant', now() - interval '30 minutes')`,
      )
      expect(await migrate(store)).toBeGreaterThan(0)
      await store.query(
        "insert into akit_order_events (order_id, key, event, channel) values ('B', 'shipped', 'shipped', 'merchant')",
      )
      const rows = await store.query<{ id: string }>(
        "select order_id || '.' || key as id from akit_order_events order by tx, seq",
      )
      expect(rows.map((r) => r.id)).toEqual(['B.paid', 'A.paid', 'A.shipped', 'B.shipped'])
    } finally {
      await store.close()
    }
  })
})

describe('migration 17 (tokens kept in clear by earlier versions)', () => {
  it("drops a session's clear quick-login token and OAuth access token, keeps the rest", async () => {
    const store = await openStore('memory://')
    try {
      await migrate(store, 16)
      const member = (extra: object) =>
        JSON.stringify({
          cart: [],
          member: { userId: '2088102000000001', realName: '张三', ...extra },
        })
      await store.query(
        `insert into akit_sessions (id_hash, data, expires_at) values
           ('a', $1::jsonb, now() + interval '1 day'),
           ('b', $2::jsonb, now() + interval '1 day'),
           ('c', $3::jsonb, now() + interval '1 day')`,
        [
          member({ via: 'quick_login', token: 'clear-token', tokenExpiresAt: 1 }),
          member({ via: 'oauth', accessToken: 'clear-access-token' }),
          member({ via: 'quick_login', sealedToken: 'sealed' }),
        ],
      )
      expect(await migrate(store)).toBe(1)
      const rows = await store.query<{ id_hash: string; data: string }>(
        'select id_hash, data::text as data from akit_sessions order by id_hash',
      )
      expect(rows.map((r) => r.data).join('\n')).not.toMatch(/clear-/)
      expect(rows[0]?.data).toContain('tokenExpiresAt')
      expect(rows[2]?.data).toContain('"sealedToken": "sealed"')
    } finally {
      await store.close()
    }
  })
})
