import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes what notify-server.mjs reads at start (its third argument): the app id, the app's
 * private key, Alipay's public key (PEM) and the orders the notifications pay. Returns its path.
 */
export function writeNotifyFixture(dir, { appId, app, alipay, orders }) {
  const file = join(dir, 'fixture.json')
  writeFileSync(
    file,
    JSON.stringify({
      appId,
      appPrivateKey: app.privateKey,
      alipayPublicKey: alipay.publicKey,
      orders,
    }),
  )
  return file
}
