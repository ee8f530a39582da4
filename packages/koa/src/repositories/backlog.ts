import type { Queryable } from '../store/types.js'

/** Work the outboxes still hold: hook jobs not done, webhook deliveries not yet delivered. */
export async function outboxBacklog(q: Queryable): Promise<{ hooks: number; webhooks: number }> {
  const [row] = await q.query<{ hooks: number; webhooks: number }>(
    `select
       (select count(*)::int from akit_hook_jobs where state in ('pending', 'running')) as hooks,
       (select count(*)::int from akit_webhook_deliveries where state = 'pending') as webhooks`,
  )
  return row ?? { hooks: 0, webhooks: 0 }
}
