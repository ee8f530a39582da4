import { createHash, randomBytes } from 'node:crypto'
import type { AddressView, LoginMethod, OrderItemInput } from '@alipay-kit/client'
import type { Context } from 'koa'
import type { Store } from '../store/types.js'

/** The member a session belongs to. Tokens stay here, server-side: the browser never sees them. */
export interface SessionMember {
  readonly userId: string
  readonly realName: string
  readonly email?: string
  readonly via: LoginMethod
  /** Quick login's token (valid 30 minutes), passed with later payments and address queries. */
  readonly token?: string
  readonly tokenExpiresAt?: number
  /** OAuth's access token. */
  readonly accessToken?: string
}

export interface SessionData {
  member?: SessionMember
  cart?: OrderItemInput[]
  address?: AddressView
}

export const SESSION_COOKIE = 'akit_sid'

/** Stored ids are hashes: a leaked database does not hand out live sessions or order tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/**
 * Server-side sessions keyed by an httpOnly, SameSite=Lax cookie, Secure whenever the request came
 * over https (behind a TLS-terminating proxy, set `app.proxy = true` so Koa believes X-Forwarded-Proto).
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
  ) {}

  /** The session's hashed id, if the browser sent a live one. */
  async load(ctx: Context): Promise<{ hash: string; data: SessionData } | undefined> {
    const cached = ctx.state.akitSession as { hash: string; data: SessionData } | null | undefined
    if (cached !== undefined) return cached ?? undefined
    const id = ctx.cookies.get(SESSION_COOKIE)
    let found: { hash: string; data: SessionData } | undefined
    if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) {
      const hash = hashSecret(id)
      const rows = await this.store.query<{ data: SessionData }>(
        'select data from akit_sessions where id_hash = $1 and expires_at > now()',
        [hash],
      )
      if (rows[0]) found = { hash, data: rows[0].data }
    }
    ctx.state.akitSession = found ?? null
    return found
  }

  /** The session, created (and its cookie set) if there is none yet. */
  async ensure(ctx: Context): Promise<{ hash: string; data: SessionData }> {
    return (await this.load(ctx)) ?? this.create(ctx, {})
  }

  async save(ctx: Context, data: SessionData): Promise<void> {
    const current = await this.ensure(ctx)
    await this.store.query(
      'update akit_sessions set data = $2::jsonb, expires_at = $3 where id_hash = $1',
      [current.hash, JSON.stringify(data), new Date(Date.now() + this.ttlMs)],
    )
    ctx.state.akitSession = { hash: current.hash, data }
  }

  /** Stores data for a session known only by its hash (a cross-site POST brings no cookie). */
  async saveByHash(hash: string, update: (data: SessionData) => SessionData): Promise<void> {
    await this.store.transaction(async (tx) => {
      const rows = await tx.query<{ data: SessionData }>(
        'select data from akit_sessions where id_hash = $1 and expires_at > now() for update',
        [hash],
      )
      if (!rows[0]) return
      await tx.query('update akit_sessions set data = $2::jsonb where id_hash = $1', [
        hash,
        JSON.stringify(update(rows[0].data)),
      ])
    })
  }

  /**
   * Starts a new session id carrying `data` and retires the old one: after login a session id an
   * attacker may have planted (session fixation) is worthless. The cart survives.
   */
  async rotate(ctx: Context, data: SessionData): Promise<void> {
    const old = await this.load(ctx)
    if (old) await this.store.query('delete from akit_sessions where id_hash = $1', [old.hash])
    await this.create(ctx, data)
  }

  async destroy(ctx: Context): Promise<void> {
    const current = await this.load(ctx)
    if (current)
      await this.store.query('delete from akit_sessions where id_hash = $1', [current.hash])
    ctx.cookies.set(SESSION_COOKIE, '', {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      maxAge: 0,
    })
    ctx.state.akitSession = null
  }

  private async create(
    ctx: Context,
    data: SessionData,
  ): Promise<{ hash: string; data: SessionData }> {
    const id = newSecret()
    const hash = hashSecret(id)
    await this.store.query(
      'insert into akit_sessions (id_hash, data, expires_at) values ($1, $2::jsonb, $3)',
      [hash, JSON.stringify(data), new Date(Date.now() + this.ttlMs)],
    )
    ctx.cookies.set(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      maxAge: this.ttlMs,
      overwrite: true,
    })
    const session = { hash, data }
    ctx.state.akitSession = session
    return session
  }
}
