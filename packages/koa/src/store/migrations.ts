import type { Store } from './types.js'

/*
 * The schema, as numbered steps. Every step runs once, in order, in one transaction under an
 * advisory lock, so two instances starting together on one PostgreSQL do not race. Append new
 * steps; never edit one that has shipped.
 */
const MIGRATIONS: readonly string[] = [
  `
  create table akit_orders (
    id text primary key,
    access_token_hash text not null,
    gateway text not null check (gateway in ('legacy', 'open')),
    service text not null,
    user_id text,
    session_hash text,
    subject text not null,
    amount_fen bigint not null check (amount_fen > 0),
    items jsonb not null,
    address jsonb,
    state jsonb not null,
    trade_status text not null,
    refund_status text,
    refunded_fen bigint not null default 0,
    trade_no text,
    buyer_id text,
    returned_at timestamptz,
    queried_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );
  create index akit_orders_user on akit_orders (user_id, created_at desc);
  create index akit_orders_session on akit_orders (session_hash, created_at desc);
  create index akit_orders_created on akit_orders (created_at desc);

  -- One row per transition applied: the primary key makes applying the same change twice a no-op.
  create table akit_order_events (
    order_id text not null references akit_orders (id),
    key text not null,
    event text not null,
    channel text not null,
    notify_id text,
    created_at timestamptz not null default now(),
    primary key (order_id, key)
  );

  -- Merchant hooks to run, written in the transition's transaction (an outbox).
  create table akit_hook_jobs (
    id bigserial primary key,
    order_id text not null references akit_orders (id),
    event_key text not null,
    event text not null,
    state text not null default 'pending' check (state in ('pending', 'running', 'done', 'failed')),
    attempts int not null default 0,
    run_after timestamptz not null default now(),
    locked_until timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    done_at timestamptz,
    unique (order_id, event_key)
  );
  create index akit_hook_jobs_due on akit_hook_jobs (state, run_after);

  create table akit_notifications (
    id bigserial primary key,
    received_at timestamptz not null default now(),
    gateway text,
    channel text not null,
    order_id text,
    notify_id text,
    trade_status text,
    refund_status text,
    outcome text not null,
    code text,
    reason text,
    params jsonb
  );
  create index akit_notifications_order on akit_notifications (order_id, id);
  create index akit_notifications_outcome on akit_notifications (outcome, id);

  create table akit_sessions (
    id_hash text primary key,
    data jsonb not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  );
  create index akit_sessions_expiry on akit_sessions (expires_at);

  -- CSRF states of login and address flows, bound to the session that started them.
  create table akit_flow_states (
    state_hash text primary key,
    session_hash text not null,
    kind text not null,
    return_to text not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
  );
  `,
  // A version for optimistic writes: a transition is one statement that succeeds only if nothing
  // changed the order since it was read.
  `alter table akit_orders add column version int not null default 0;`,
  // Room on each page for updated rows (HOT updates skip the indexes); hook jobs found by a
  // partial index that finished jobs leave.
  `
  alter table akit_orders set (fillfactor = 70);
  alter table akit_hook_jobs set (fillfactor = 70);
  drop index akit_hook_jobs_due;
  create index akit_hook_jobs_due on akit_hook_jobs (run_after) where state in ('pending', 'running');
  `,
  // Jobs that run once a period across all instances hold a lease (see src/jobs/scheduler.ts).
  `
  create table akit_job_leases (
    job text primary key,
    holder text not null,
    until timestamptz not null
  );
  `,
  // A legacy refund batch's result names trades by Alipay's trade_no (src/status/refund-batch.ts).
  `create index akit_orders_trade_no on akit_orders (trade_no) where trade_no is not null;`,
  // The payment's expiry, the sweep's schedule (src/jobs/payment-sweep.ts) and when Alipay says the
  // buyer paid (the daily bill is matched on it).
  `
  alter table akit_orders add column expires_at timestamptz;
  alter table akit_orders add column sweep_attempts int not null default 0;
  alter table akit_orders add column sweep_next_at timestamptz;
  alter table akit_orders add column paid_at timestamptz;
  -- Orders waiting from before expiries existed: payable 30 more minutes from the upgrade (a buyer
  -- may be at the cashier), swept from now on.
  update akit_orders
    set expires_at = greatest(created_at, now()) + interval '30 minutes', sweep_next_at = now()
    where trade_status = 'WAIT_BUYER_PAY';
  create index akit_orders_sweep on akit_orders (sweep_next_at) where trade_status = 'WAIT_BUYER_PAY';
  create index akit_orders_paid_at on akit_orders (paid_at) where paid_at is not null;
  `,
  // The daily bill's reconciliations and their differences (src/reconcile, koa README "The daily bill").
  `
  create table akit_reconciliations (
    id bigserial primary key,
    bill_date date not null,
    status text not null,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    bill_lines int not null default 0,
    orders_checked int not null default 0,
    differences int not null default 0,
    settled int not null default 0,
    error text
  );
  create index akit_reconciliations_day on akit_reconciliations (bill_date, id desc);
  create table akit_reconciliation_items (
    reconciliation_id bigint not null references akit_reconciliations (id) on delete cascade,
    order_id text not null,
    kind text not null,
    trade_no text,
    alipay_fen bigint,
    local_fen bigint,
    detail text not null,
    settled boolean not null default false,
    primary key (reconciliation_id, order_id, kind)
  );
  `,
  // Idempotency keys of the merchant API (src/http/idempotency.ts): the first answer, replayed.
  `
  create table akit_idempotency_keys (
    key text primary key,
    fingerprint text not null,
    created_at timestamptz not null default now(),
    locked_until timestamptz,
    status int,
    response jsonb
  );
  create index akit_idempotency_created on akit_idempotency_keys (created_at);
  `,
  // Webhook deliveries (src/jobs/webhook-delivery.ts): one per order event and URL, written with
  // the transition (the outbox), delivered after the commit, retried for days.
  `
  create table akit_webhook_deliveries (
    id bigserial primary key,
    order_id text not null references akit_orders (id),
    event_key text not null,
    event text not null,
    url text not null,
    state text not null default 'pending',
    attempts int not null default 0,
    next_at timestamptz not null,
    locked_until timestamptz,
    created_at timestamptz not null default now(),
    delivered_at timestamptz,
    last_status int,
    last_error text,
    unique (order_id, event_key, url)
  );
  create index akit_webhook_due on akit_webhook_deliveries (next_at) where state = 'pending';
  `,
  // The event feed (src/repositories/event-feed.ts): each event's transaction id and a sequence,
  // so a cursor over (tx, seq) read below the oldest running transaction never skips an event
  // that commits late. Events from before this step keep their order by time.
  `
  create sequence akit_order_events_seq;
  alter table akit_order_events add column seq bigint;
  update akit_order_events e set seq = n.n
  from (select order_id, key, row_number() over (order by created_at, order_id, key) as n
        from akit_order_events) n
  where n.order_id = e.order_id and n.key = e.key;
  select setval('akit_order_events_seq', coalesce((select max(seq) from akit_order_events), 0) + 1, false);
  alter table akit_order_events
    alter column seq set default nextval('akit_order_events_seq'),
    alter column seq set not null,
    add column tx xid8 not null default pg_current_xact_id();
  alter sequence akit_order_events_seq owned by akit_order_events.seq;
  create index akit_order_events_feed on akit_order_events (tx, seq);
  `,
  // Rate limits shared by every instance (src/limits): hits per client key and window. Unlogged:
  // counters need no crash safety, and skipping the WAL keeps them cheap on every request.
  `
  create unlogged table akit_rate_limits (
    key text not null,
    window_start bigint not null,
    hits int not null,
    primary key (key, window_start)
  );
  `,
  // Rate limits as token buckets (GCRA, src/limits/token-buckets.ts): one row per client key, its
  // theoretical arrival time in ms and the pace it was last taken at. Replaces the fixed windows,
  // whose whole allowance could be spent at the start of each window.
  `
  drop table akit_rate_limits;
  create unlogged table akit_rate_buckets (
    key text primary key,
    tat float8 not null,
    emission_ms float8 not null,
    tolerance_ms float8 not null,
    wait_ms float8 not null
  );
  `,
  // Hook jobs that ran, recorded done by the next status batch (repositories/status-batch.ts). As
  // a cached statement this UPDATE kept the plan made when the table was new: a scan of the due
  // jobs' partial index (every job done since the last vacuum still has an entry there) or of the
  // whole table, each batch slower than the last (bench/RESULTS.md, "Notify"). EXECUTE plans it
  // at each call, on the table as it is: by primary key ("is true" keeps the partial index out).
  `
  create function akit_finish_hook_jobs(ids bigint[]) returns bigint language plpgsql as $$
  declare
    done bigint;
  begin
    if cardinality(ids) = 0 then
      return 0;
    end if;
    execute $q$update akit_hook_jobs set state = 'done', done_at = now(), locked_until = null
               where id = any($1) and (state = 'running') is true$q$ using ids;
    get diagnostics done = row_count;
    return done;
  end
  $$;
  `,
  // Signed login and address returns are good once (docs/security.md, "Login CSRF"): the
  // notify_id of each one used. A flow state may carry what it waits to confirm (an etao login).
  `
  create table akit_used_returns (
    notify_id text primary key,
    used_at timestamptz not null default now()
  );
  create index akit_used_returns_age on akit_used_returns (used_at);
  alter table akit_flow_states add column data jsonb;
  `,
  // Refunds asked of Alipay, recorded before they are sent under the order's row lock, so that
  // what is left to refund counts the ones Alipay has not confirmed yet (merchant/operations.ts,
  // docs/security.md "Concurrent refunds"). refund_id is the id the order's state records when
  // Alipay's result arrives (out_request_no, legacy batch-<batch_no>); it settles the row.
  `
  create table akit_refunds (
    request_no text primary key,
    order_id text not null references akit_orders (id),
    refund_id text not null,
    amount_fen bigint not null check (amount_fen > 0),
    state text not null default 'requested' check (state in ('requested', 'succeeded', 'failed')),
    code text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  );
  create index akit_refunds_order on akit_refunds (order_id, state);
  `,
  // The notification log under unverified writes (docs/security.md, "Unauthenticated writes";
  // repositories/notifications.ts): a message that did not verify keeps a digest and a few
  // bounded fields; the order it names is a claim (claimed_order_id), never an entry of that
  // order; the same message again (bytes, endpoint) within the hour, or past the minute's
  // allowance, counts on one row (repeats); the retention job (jobs/log-retention.ts) drops them
  // sooner than verified entries. Rows the status batch writes keep their shape: the new
  // columns' defaults are theirs, and no index of these takes their rows.
  `
  alter table akit_notifications
    add column verified boolean not null default true,
    add column claimed_order_id text,
    add column digest text,
    add column window_start timestamptz,
    add column repeats int not null default 1,
    add column last_at timestamptz,
    add column bytes int;
  update akit_notifications
    set verified = false, claimed_order_id = order_id, order_id = null
    where channel in ('notify', 'return') and code in ('MALFORMED', 'MISSING_FIELD', 'BAD_FIELD',
      'UNSUPPORTED_SIGN_TYPE', 'BAD_SIGNATURE', 'NOT_VERIFIED_BY_ALIPAY', 'WRONG_APP', 'WRONG_SELLER');
  create unique index akit_notifications_repeat
    on akit_notifications (digest, channel, gateway, window_start) where digest is not null;
  create index akit_notifications_unverified on akit_notifications (received_at) where not verified;
  create index akit_notifications_claimed on akit_notifications (claimed_order_id, id)
    where claimed_order_id is not null;
  `,
  // Tokens an earlier version kept in clear in sessions (docs/security.md, "Tokens"): OAuth's
  // access token is no longer kept at all, and a clear quick-login token is dropped (its buyer
  // logs in at Alipay again when paying); tokens sealed from now on are under sealedToken.
  `
  update akit_sessions set data = data #- '{member,accessToken}' #- '{member,token}'
  where data -> 'member' ?| array['accessToken', 'token'];
  `,
]

/**
 * Brings the schema up to date (or to step `upTo`, for tests of a step). Safe to call from every
 * instance at every start.
 */
export async function migrate(store: Store, upTo: number = MIGRATIONS.length): Promise<number> {
  return store.transaction(async (tx) => {
    // 0x616b6974 = 'akit': one lock id for the kit's migrations.
    await tx.query('select pg_advisory_xact_lock(1634429300)')
    await tx.query(
      'create table if not exists akit_migrations (version int primary key, applied_at timestamptz not null default now())',
    )
    const rows = await tx.query<{ version: number }>(
      'select max(version) as version from akit_migrations',
    )
    const current = Number(rows[0]?.version ?? 0)
    const last = Math.min(upTo, MIGRATIONS.length)
    for (let version = current + 1; version <= last; version++) {
      await tx.exec(MIGRATIONS[version - 1] as string)
      await tx.query('insert into akit_migrations (version) values ($1)', [version])
    }
    return Math.max(0, last - current)
  })
}
