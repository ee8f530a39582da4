import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * Seals a buyer's quick-login token before it is stored in a session row (AES-256-GCM), so a copy
 * of the database, a backup or a log of its rows does not hand out a token that lets its holder
 * skip Alipay's login for 30 minutes (docs/security.md, "Tokens"). The key is derived (HKDF) from
 * the legacy gateway's MD5 key, which only the server's environment holds: the token exists only
 * where quick login (a legacy service) is configured.
 */
export class TokenSeal {
  private constructor(private readonly key: Buffer) {}

  /** A seal keyed by a server secret; the same secret opens what an earlier process sealed. */
  static fromSecret(secret: string): TokenSeal {
    const key = hkdfSync('sha256', secret, 'alipay-kit', 'session tokens v1', 32)
    return new TokenSeal(Buffer.from(key))
  }

  seal(plain: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')
  }

  /** The token, or undefined when the text was sealed with another key or altered. */
  open(sealed: string): string | undefined {
    const raw = Buffer.from(sealed, 'base64url')
    if (raw.length < 29) return undefined
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    } catch {
      return undefined
    }
  }
}
