import { createHash, randomBytes } from 'node:crypto'

/** Stored ids are hashes: a leaked database does not hand out live sessions or order tokens. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url')
}

/** An unguessable token (session ids, CSRF states, order access tokens). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** A fresh request number for a refund (legacy batch_no, Open Platform out_request_no). */
export function newRequestNo(): string {
  return newSecret(12)
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 16)
}
