import type { NotificationLogEntry, NotificationOutcome } from '@alipay-kit/client'
import type { Queryable } from '../store/types.js'

export interface LogInput {
  readonly gateway: 'legacy' | 'open' | undefined
  readonly channel: NotificationLogEntry['channel']
  readonly orderId?: string | undefined
  readonly notifyId?: string | undefined
  readonly tradeStatus?: string | undefined
  readonly refundStatus?: string | undefined
  readonly outcome: NotificationOutcome
  readonly code?: string | undefined
  readonly reason?: string | undefined
  readonly params?: Readonly<Record<string, string>> | undefined
}

/** Fields never kept, even in the database: a signature or token proves nothing once stored. */
const SECRET_FIELDS = new Set(['sign', 'token', 'auth_token', 'access_token', 'auth_code'])
const MAX_VALUE = 2000
const NUL = String.fromCharCode(0)

/**
 * Text as PostgreSQL can store it: a NUL character (which anyone can send, %00) is refused by both
 * text and jsonb, and would turn a refusal into a failed insert.
 */
export function storable(text: string, max: number): string {
  const cut = text.length > max ? text.slice(0, max) : text
  // Most text has no NUL: checked first, it is returned as it is (every notification's fields pass here).
  return cut.includes(NUL) ? cut.replaceAll(NUL, '\uFFFD') : cut
}

/** The fields of a message as the log keeps them: no secrets, bounded sizes, storable text. */
export function keptParams(
  params: Readonly<Record<string, string>> | undefined,
): Record<string, string> | null {
  if (!params) return null
  const kept: Record<string, string> = {}
  const names = Object.keys(params)
  for (let i = 0; i < names.length && i < 100; i++) {
    const name = names[i] as string
    if (SECRET_FIELDS.has(name)) continue
    kept[storable(name, 100)] = storable(params[name] as string, MAX_VALUE)
  }
  return kept
}

/** An optional text field as the log stores it. */
export function nullable(text: string | undefined, max: number): string | null {
  return text === undefined ? null : storable(text, max)
}

/**
 * Every notification, return and query, with what became of it: Alipay's demo code's LogResult,
 * as data (docs/protocol.md, "Notifications").
 */
export async function logNotification(q: Queryable, entry: LogInput): Promise<void> {
  await q.query(
    `insert into akit_notifications
       (gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, code, reason, params)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
    [
      entry.gateway ?? null,
      entry.channel,
      nullable(entry.orderId, 128),
      nullable(entry.notifyId, 128),
      nullable(entry.tradeStatus, 64),
      nullable(entry.refundStatus, 64),
      entry.outcome,
      entry.code ?? null,
      nullable(entry.reason, 1000),
      JSON.stringify(keptParams(entry.params)),
    ],
    'akit_log',
  )
}

interface LogRow {
  id: number | string
  received_at: Date | string
  gateway: 'legacy' | 'open' | null
  channel: NotificationLogEntry['channel']
  order_id: string | null
  notify_id: string | null
  trade_status: string | null
  refund_status: string | null
  outcome: NotificationOutcome
  code: string | null
  reason: string | null
}

export async function listNotifications(
  q: Queryable,
  filter: { outcome?: NotificationOutcome; orderId?: string; limit: number },
): Promise<NotificationLogEntry[]> {
  const rows = await q.query<LogRow>(
    `select id, received_at, gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, code, reason
     from akit_notifications
     where ($1::text is null or outcome = $1) and ($2::text is null or order_id = $2)
     order by id desc limit $3`,
    [filter.outcome ?? null, filter.orderId ?? null, filter.limit],
  )
  return rows.map((row) => ({
    id: Number(row.id),
    receivedAt: new Date(row.received_at).toISOString(),
    gateway: row.gateway,
    channel: row.channel,
    orderId: row.order_id,
    notifyId: row.notify_id,
    tradeStatus: row.trade_status,
    refundStatus: row.refund_status,
    outcome: row.outcome,
    code: row.code,
    reason: row.reason,
  }))
}
