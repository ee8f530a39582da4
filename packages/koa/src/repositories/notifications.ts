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
/** In `u` mode a pair is one code point, so only an unpaired surrogate is of category Cs. */
const LONE_SURROGATE = /\p{Cs}/u
const LONE_SURROGATES = /\p{Cs}/gu

/**
 * Text as PostgreSQL can store it: a NUL character (which anyone can send, %00) is refused by both
 * text and jsonb, and so is an unpaired UTF-16 surrogate in jsonb (an XML answer's `&#xD800;`, a
 * cut through a pair); either would turn a refusal into a failed insert (docs/security.md,
 * "Free text").
 */
export function storable(text: string, max: number): string {
  const cut = text.length > max ? text.slice(0, max) : text
  // Most text has neither: checked first, it is returned as it is (every notification's fields pass here).
  const whole = LONE_SURROGATE.test(cut) ? cut.replace(LONE_SURROGATES, '\uFFFD') : cut
  return whole.includes(NUL) ? whole.replaceAll(NUL, '\uFFFD') : whole
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

/** What the log keeps of a message whose signature was checked: verified or not, by its bytes. */
export interface ReceivedInput extends LogInput {
  readonly gateway: 'legacy' | 'open'
  /** Whether it verified (Alipay's signature, and notify_verify on the legacy gateway). */
  readonly verified: boolean
  /** SHA-256 (hex) of the raw message: the body, or a return's query string. */
  readonly digest: string
  /** The raw message's size. */
  readonly bytes: number
}

/**
 * The fields an unverified message keeps: those that say what it claimed and why it was refused
 * (a wrong seller or app, a sign type, a status), each cut short. Anyone can send one, so never
 * the rest: 100 fields of 2,000 characters were 60 kB a request (docs/security.md,
 * "Unauthenticated writes").
 */
const CLAIM_FIELDS = [
  'notify_id',
  'notify_type',
  'out_trade_no',
  'trade_no',
  'trade_status',
  'refund_status',
  'total_amount',
  'total_fee',
  'refund_fee',
  'app_id',
  'seller_id',
  'seller_email',
  'sign_type',
  'charset',
] as const
const CLAIM_VALUE = 128
const CLAIM_REASON = 256

/** An unverified message's fields as the log keeps them (null when it had none of them). */
export function claimedParams(
  params: Readonly<Record<string, string>> | undefined,
): Record<string, string> | null {
  if (!params) return null
  const kept: Record<string, string> = {}
  for (const name of CLAIM_FIELDS) {
    const value = params[name]
    if (typeof value === 'string') kept[name] = storable(value, CLAIM_VALUE)
  }
  return Object.keys(kept).length > 0 ? kept : null
}

/*
 * A verified return: the same bytes to the same endpoint again within the hour (a buyer's reload,
 * a replayed URL) count on the entry they made.
 */
const LOG_RETURN = `
insert into akit_notifications as n
  (gateway, channel, order_id, notify_id, trade_status, refund_status, outcome, code, reason, params,
   digest, window_start, bytes, last_at)
values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, date_trunc('hour', now()), $12, now())
on conflict (digest, channel, gateway, window_start) where digest is not null
do update set repeats = n.repeats + 1, last_at = excluded.last_at`

/*
 * An unverified message. The same bytes to the same endpoint again within the hour count on the
 * entry they made. Past $12 entries of their own in the last minute (all unverified messages
 * together), a message is counted on one entry per gateway, channel, code and minute instead,
 * which keeps nothing of it: a flood of different junk grows the log by a few rows a minute. Two
 * messages at once may both see room for one more: the allowance is a bound, not an exact count.
 */
const LOG_UNVERIFIED = `
with recent as (
  select count(*)::int as n from (
    select 1 from akit_notifications
    where not verified and received_at > now() - interval '1 minute'
    limit $12
  ) r
), kept as (
  select exists (
           select 1 from akit_notifications
           where digest = $10 and channel = $2 and gateway = $1
             and window_start = date_trunc('hour', now()) and digest is not null
         ) or (select n from recent) < $12 as own
)
insert into akit_notifications as n
  (gateway, channel, claimed_order_id, notify_id, trade_status, refund_status, outcome, code,
   reason, params, verified, digest, window_start, bytes, last_at)
select $1, $2,
  case when own then $3 end,
  case when own then $4 end,
  case when own then $5 end,
  case when own then $6 end,
  'rejected', $7,
  case when own then $8
       else 'More unverified messages than retention.refusedPerMinute (' || $12 ||
            ') in a minute: this entry counts them, without their fields' end,
  case when own then $9::jsonb end,
  false,
  case when own then $10 else 'overflow:' || $1 || ':' || $2 || ':' || $7 end,
  date_trunc(case when own then 'hour' else 'minute' end, now()),
  case when own then $11::int end,
  now()
from kept
on conflict (digest, channel, gateway, window_start) where digest is not null
do update set repeats = n.repeats + 1, last_at = excluded.last_at`

/**
 * Logs a message written one at a time (not by a status batch): a return, or a notification or
 * return that did not verify. An unverified one keeps its digest, size, code, a short reason and
 * the fields of `CLAIM_FIELDS`; the order it names is kept as a claim, never as an entry of that
 * order; repeats and floods are counted rather than kept
 * (docs/security.md, "Unauthenticated writes").
 */
export async function logReceived(
  q: Queryable,
  entry: ReceivedInput,
  refusedPerMinute: number,
): Promise<void> {
  if (entry.verified) {
    await q.query(
      LOG_RETURN,
      [
        entry.gateway,
        entry.channel,
        nullable(entry.orderId, 128),
        nullable(entry.notifyId, 128),
        nullable(entry.tradeStatus, 64),
        nullable(entry.refundStatus, 64),
        entry.outcome,
        entry.code ?? null,
        nullable(entry.reason, 1000),
        JSON.stringify(keptParams(entry.params)),
        entry.digest,
        entry.bytes,
      ],
      'akit_log_return',
    )
    return
  }
  await q.query(
    LOG_UNVERIFIED,
    [
      entry.gateway,
      entry.channel,
      nullable(entry.orderId, CLAIM_VALUE),
      nullable(entry.notifyId, CLAIM_VALUE),
      nullable(entry.tradeStatus, 64),
      nullable(entry.refundStatus, 64),
      entry.code ?? 'UNVERIFIED',
      nullable(entry.reason, CLAIM_REASON),
      JSON.stringify(claimedParams(entry.params)),
      entry.digest,
      entry.bytes,
      refusedPerMinute,
    ],
    'akit_log_unverified',
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
  verified: boolean
  repeats: number
  last_at: Date | string | null
  digest: string | null
  bytes: number | null
}

/** An unverified entry's order is the one it claimed; an overflow entry's key is no digest. */
const LOG_COLUMNS = `id, received_at, gateway, channel, coalesce(order_id, claimed_order_id) as order_id,
  notify_id, trade_status, refund_status, outcome, code, reason, verified, repeats, last_at,
  case when digest like 'overflow:%' then null else digest end as digest, bytes`

/**
 * The log, newest first. For an order: its own entries (`limit`), and at most `claims` of the
 * unverified messages that named it, each list on its own index, so that no number of those
 * pushes a verified entry out of the view (docs/security.md, "Unauthenticated writes").
 */
export async function listNotifications(
  q: Queryable,
  filter: { outcome?: NotificationOutcome; orderId?: string; limit: number; claims?: number },
): Promise<NotificationLogEntry[]> {
  const rows =
    filter.orderId === undefined
      ? await q.query<LogRow>(
          `select ${LOG_COLUMNS}
           from akit_notifications
           where ($1::text is null or outcome = $1)
           order by id desc limit $2`,
          [filter.outcome ?? null, filter.limit],
        )
      : await q.query<LogRow>(
          `select * from (
             (select ${LOG_COLUMNS} from akit_notifications
              where order_id = $2 and ($1::text is null or outcome = $1)
              order by id desc limit $3)
             union all
             (select ${LOG_COLUMNS} from akit_notifications
              where claimed_order_id = $2 and ($1::text is null or outcome = $1)
              order by id desc limit $4)
           ) entries
           order by id desc`,
          [filter.outcome ?? null, filter.orderId, filter.limit, filter.claims ?? 20],
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
    verified: row.verified,
    repeats: Number(row.repeats),
    lastAt: new Date(row.last_at ?? row.received_at).toISOString(),
    digest: row.digest,
    bytes: row.bytes === null ? null : Number(row.bytes),
  }))
}

/**
 * Deletes unverified entries received before `days` ago, oldest first, up to `batch` a call (on
 * the unverified rows' own index). Returns how many.
 */
export async function deleteOldUnverified(
  q: Queryable,
  days: number,
  batch: number,
): Promise<number> {
  const rows = await q.query(
    `delete from akit_notifications where id in (
       select id from akit_notifications
       where not verified and received_at < now() - make_interval(days => $1)
       order by received_at limit $2)
     returning 1`,
    [days, batch],
  )
  return rows.length
}

/**
 * Deletes verified entries received before `days` ago among the `batch` oldest rows. The oldest
 * rows by id, not an index on received_at: every status batch writes log rows, and one more index
 * would slow each (bench/RESULTS.md); ids grow with time, so the oldest rows are the first to age
 * out. Returns how many (none once the oldest rows are younger).
 */
export async function deleteOldVerified(
  q: Queryable,
  days: number,
  batch: number,
): Promise<number> {
  const rows = await q.query(
    `with oldest as (select id from akit_notifications order by id limit $2)
     delete from akit_notifications n using oldest o
     where n.id = o.id and n.verified and n.received_at < now() - make_interval(days => $1)
     returning 1`,
    [days, batch],
  )
  return rows.length
}
