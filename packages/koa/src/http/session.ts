import type { AddressView, LoginMethod, OrderItemInput } from '@alipay-kit/client'
import type { Context } from 'koa'
import {
  deleteSession,
  findSession,
  insertSession,
  updateSession,
  updateSessionLocked,
} from '../repositories/sessions.js'
import type { Store } from '../store/types.js'
import { hashSecret, newSecret } from './secrets.js'
import type { TokenSeal } from './token-seal.js'

/**
 * The member a session belongs to. The token stays server-side (the browser never sees it), and
 * is sealed in the stored row (`sealedToken`, see {@link TokenSeal}); OAuth's access token is
 * not kept at all once the login has read the name.
 */
export interface SessionMember {
  readonly userId: string
  readonly realName: string
  readonly email?: string
  readonly via: LoginMethod
  /** Quick login's token (valid 30 minutes), passed with later payments and address queries. */
  readonly token?: string
  readonly tokenExpiresAt?: number
}

/** A member as its session row keeps it: the token sealed. */
type StoredMember = Omit<SessionMember, 'token'> & { readonly sealedToken?: string }
type StoredData = Omit<SessionData, 'member'> & { member?: StoredMember }

export interface SessionData {
  member?: SessionMember
  cart?: OrderItemInput[]
  address?: AddressView
}

export const SESSION_COOKIE = 'akit_sid'

/** Whether the quick-login token still lets the buyer skip Alipay's login (30 minutes). */
export function tokenValid(member: SessionMember | undefined): boolean {
  return member?.token !== undefined && (member.tokenExpiresAt ?? 0) > Date.now()
}

/**
 * Server-side sessions keyed by an httpOnly, SameSite=Lax cookie, Secure whenever the request came
 * over https (behind a TLS-terminating proxy, set `app.proxy = true` so Koa believes X-Forwarded-Proto).
 */
export class Sessions {
  /** `seal`: how tokens are kept in the rows; without one (no legacy gateway) none is kept. */
  constructor(
    private readonly store: Store,
    private readonly ttlMs: number,
    private readonly seal?: TokenSeal,
  ) {}

  private toStored(data: SessionData): StoredData {
    const member = data.member
    if (member?.token === undefined) return data as StoredData
    const { token, ...rest } = member
    return { ...data, member: this.seal ? { ...rest, sealedToken: this.seal.seal(token) } : rest }
  }

  private fromStored(stored: StoredData): SessionData {
    const member = stored.member
    if (member?.sealedToken === undefined) return stored as SessionData
    const { sealedToken, ...rest } = member
    const token = this.seal?.open(sealedToken)
    return { ...stored, member: token === undefined ? rest : { ...rest, token } }
  }

  /** The session's hashed id, if the browser sent a live one. */
  async load(ctx: Context): Promise<{ hash: string; data: SessionData } | undefined> {
    const cached = ctx.state.akitSession as { hash: string; data: SessionData } | null | undefined
    if (cached !== undefined) return cached ?? undefined
    const id = ctx.cookies.get(SESSION_COOKIE)
    let found: { hash: string; data: SessionData } | undefined
    if (id && /^[A-Za-z0-9_-]{43}$/.test(id)) {
      const hash = hashSecret(id)
      const data = await findSession(this.store, hash)
      if (data) found = { hash, data: this.fromStored(data) }
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
    await updateSession(
      this.store,
      current.hash,
      this.toStored(data),
      new Date(Date.now() + this.ttlMs),
    )
    ctx.state.akitSession = { hash: current.hash, data }
  }

  /** Stores data for a session known only by its hash (a cross-site POST brings no cookie). */
  saveByHash(hash: string, update: (data: SessionData) => SessionData): Promise<void> {
    return updateSessionLocked(this.store, hash, (stored) =>
      this.toStored(update(this.fromStored(stored))),
    )
  }

  /**
   * Starts a new session id carrying `data` and retires the old one: after login a session id an
   * attacker may have planted (session fixation) is worthless. The cart survives.
   */
  async rotate(ctx: Context, data: SessionData): Promise<{ hash: string; data: SessionData }> {
    const old = await this.load(ctx)
    if (old) await deleteSession(this.store, old.hash)
    return this.create(ctx, data)
  }

  async destroy(ctx: Context): Promise<void> {
    const current = await this.load(ctx)
    if (current) await deleteSession(this.store, current.hash)
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
    await insertSession(this.store, hash, this.toStored(data), new Date(Date.now() + this.ttlMs))
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
