#!/usr/bin/env node
import { dirname } from 'node:path'
import { writeCertificates } from './certificate-files.js'
import { CLI_HELP, type CliOptions, parseCliArgs } from './cli-args.js'
import { FAULT_NAMES } from './faults.js'
import { startSandbox } from './server.js'

let options: CliOptions
try {
  options = parseCliArgs(process.argv.slice(2))
} catch (error) {
  console.error(`${(error as Error).message}\n\n${CLI_HELP}`)
  process.exit(2)
}
if (options.help) {
  console.log(CLI_HELP)
  process.exit(0)
}

try {
  const sandbox = await startSandbox({
    port: options.port,
    host: options.host,
    timeScale: options.timeScale,
    credentialsFile: options.credentialsFile,
    ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    strict: options.strict,
    certificates: options.certificates,
  })
  sandbox.simulator.globalFaults = options.faults
  const c = sandbox.credentials
  const certificateFiles = c.certificates
    ? writeCertificates(dirname(options.credentialsFile), c.appId, c.certificates)
    : undefined
  const faults = FAULT_NAMES.filter((name) => options.faults[name] !== undefined)
  console.log(`alipay-kit sandbox listening on ${sandbox.url}

Gateway (both):   ${sandbox.gatewayUrl}
Console:          ${sandbox.url}/console
Admin API:        ${sandbox.url}/__admin/trades
Buyers' password: 111111

Legacy gateway    partner ${c.partner}
                  key     ${c.key}
                  seller  ${c.sellerEmail}
Open Platform     app_id  ${c.appId}
                  app private key and Alipay public key: ${options.credentialsFile} (kept between runs, never commit it)
${options.timeScale !== 1 ? `Time runs ${options.timeScale}× faster (tokens, notification retries).\n` : ''}${faults.length > 0 ? `Faults on every notification: ${faults.map((f) => `${f}=${options.faults[f]}`).join(', ')}\n` : ''}${options.stateFile ? `State kept in ${options.stateFile}\n` : ''}${certificateFiles ? `Certificate mode: ${certificateFiles.join(', ')}\n` : ''}${options.strict ? "Strict: anti-phishing is on (payments and quick login need a fresh anti_phishing_key and the buyer's exter_invoke_ip).\n" : ''}Ctrl-C stops it.`)
  const stop = () => {
    sandbox.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code
  console.error(
    code === 'EADDRINUSE'
      ? `Port ${options.port} is taken; stop what uses it or pass --port <another>.`
      : `Could not start the sandbox: ${(error as Error).message}`,
  )
  process.exit(1)
}
