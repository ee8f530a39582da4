#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { startSandbox } from './server.js'

const HELP = `alipay-sandbox: a local Alipay (legacy MD5 gateway + Open Platform)

Options:
  --port <n>              port to listen on (default 4010)
  --host <host>           interface (default 127.0.0.1)
  --time-scale <n>        speed up simulated time, e.g. 1000 (default 1)
  --credentials <file>    where credentials are kept between runs (default .data/sandbox-credentials.json)
  --help                  this text`

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'time-scale': { type: 'string', default: '1' },
    credentials: { type: 'string', default: '.data/sandbox-credentials.json' },
    help: { type: 'boolean', default: false },
  },
})

if (values.help) {
  console.log(HELP)
  process.exit(0)
}
const port = Number(values.port)
const timeScale = Number(values['time-scale'])
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number; got ${values.port}`)
  process.exit(2)
}
if (!(timeScale > 0)) {
  console.error(`--time-scale must be a positive number; got ${values['time-scale']}`)
  process.exit(2)
}

try {
  const sandbox = await startSandbox({
    port,
    host: values.host,
    timeScale,
    credentialsFile: values.credentials,
  })
  const c = sandbox.credentials
  console.log(`alipay-kit sandbox listening on ${sandbox.url}

Gateway (both):   ${sandbox.gatewayUrl}
Console:          ${sandbox.url}/console
Admin API:        ${sandbox.url}/__admin/trades
Buyers' password: 111111

Legacy gateway    partner ${c.partner}
                  key     ${c.key}
                  seller  ${c.sellerEmail}
Open Platform     app_id  ${c.appId}
                  app private key and Alipay public key: ${values.credentials} (kept between runs, never commit it)
${timeScale !== 1 ? `Time runs ${timeScale}× faster (tokens, notification retries).\n` : ''}Ctrl-C stops it.`)
  const stop = () => {
    sandbox.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${port} is taken; stop what uses it or pass --port <another>.`
      : `Could not start the sandbox: ${(error as Error).message}`,
  )
  process.exit(1)
}
