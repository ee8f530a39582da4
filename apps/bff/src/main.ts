#!/usr/bin/env node
// The BFF server: `node dist/main.js` with settings in the environment (see README.md).
import { EnvError, parseEnv } from './env.js'
import { SANDBOX_MERCHANT_SECRET } from './options.js'
import { startBff } from './server.js'

try {
  const env = parseEnv(process.env)
  const bff = await startBff(env)
  const where = env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${env.PGLITE_DIR}`
  console.log(`alipay-kit BFF listening on ${bff.url} (public URL ${bff.publicUrl})
Store: ${where}
Alipay: ${bff.mode === 'sandbox' ? `the local simulator (${process.env.ALIPAY_SANDBOX_URL ?? 'http://127.0.0.1:4010'})` : 'the real gateways'}${bff.merchantApiSecret === SANDBOX_MERCHANT_SECRET ? `\nMerchant API secret (simulator only): ${SANDBOX_MERCHANT_SECRET}` : ''}`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: stopping`)
    bff.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
} catch (error) {
  if (error instanceof EnvError) console.error(error.message)
  else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
    console.error(
      `The port is taken: stop what uses it or set PORT to another. (${(error as Error).message})`,
    )
  else console.error(`The BFF could not start: ${(error as Error).message}`)
  process.exit(1)
}
