// `pnpm demo`: installs and builds what is needed, then starts the local Alipay (simulator), the BFF
// on its embedded store (PGlite in .data/demo-bff) serving the demo shop, and prints the one URL to
// open. Ctrl-C stops all of it.
import { spawn } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { install, pnpm, run } from './run.mjs'

const SHOP_PORT = Number(process.env.DEMO_PORT ?? 3000)
const SANDBOX_PORT = Number(process.env.DEMO_SANDBOX_PORT ?? 4010)
// DEMO_HOST=0.0.0.0 listens on every interface, so a real phone on the same network can scan the
// demo's QR codes: the URLs (and so the codes) then name this machine's network address.
const host = process.env.DEMO_HOST ?? '127.0.0.1'
const lanAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address
const publicHost = host === '0.0.0.0' ? (lanAddress() ?? '127.0.0.1') : host

install()
console.log('\n▶ building the packages, the BFF and the shop')
if (!run(pnpm, ['run', 'build']).ok) process.exit(1)

const children = []
let stopping = false

/** Starts a process and resolves once its output shows `ready`; rejects if it exits first. */
function start(name, args, env, ready) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push({ name, child })
    let output = ''
    const onData = (chunk) => {
      output += chunk
      if (ready.test(output)) resolve(output)
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => {
      output += chunk
      if (!stopping) process.stderr.write(`[${name}] ${chunk}`)
    })
    child.once('exit', (code) => {
      if (!ready.test(output))
        reject(new Error(`${name} exited (${code}) before it was ready:\n${output}`))
      else if (!stopping) {
        console.error(`\n${name} stopped (${code}); stopping the demo.`)
        stop(1)
      }
    })
  })
}

function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGTERM')
  const deadline = setTimeout(() => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL')
    process.exit(code)
  }, 5000)
  deadline.unref()
  Promise.all(
    children.map(({ child }) =>
      child.exitCode !== null ? null : new Promise((r) => child.once('exit', r)),
    ),
  ).then(() => process.exit(code))
}
process.once('SIGINT', () => {
  console.log('\nStopping the shop, the BFF and the simulator…')
  stop(0)
})
process.once('SIGTERM', () => stop(0))

try {
  console.log('\n▶ starting the local Alipay (simulator)')
  await start(
    'sandbox',
    [
      'packages/sandbox/dist/cli.js',
      '--port',
      String(SANDBOX_PORT),
      '--host',
      host,
      '--state',
      '.data/demo-sandbox-state.json',
    ],
    {},
    /listening on/,
  )
  console.log('▶ starting the BFF (PGlite in .data/demo-bff) with the shop')
  const bff = await start(
    'bff',
    ['apps/bff/dist/main.js'],
    {
      PORT: String(SHOP_PORT),
      HOST: host,
      PGLITE_DIR: '.data/demo-bff',
      STATIC_DIR: 'apps/shop/dist',
      ALIPAY_SANDBOX_URL: `http://${publicHost}:${SANDBOX_PORT}`,
      ...(publicHost !== host ? { PUBLIC_URL: `http://${publicHost}:${SHOP_PORT}` } : {}),
      // Every service, the QR code too (the shop has a scan page for it).
      ALIPAY_SERVICES: 'instant,escrow,dual,digital,donation,page,wap,qr',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    /listening on/,
  )
  const secret = /Merchant API secret \(simulator only\): (\S+)/.exec(bff)?.[1]
  console.log(`
────────────────────────────────────────────────────────────────────
  Open the shop:      http://${publicHost}:${SHOP_PORT}/
  Merchant page:      http://${publicHost}:${SHOP_PORT}/merchant   (secret: ${secret ?? 'see MERCHANT_API_SECRET'})
  Alipay simulator:   http://${publicHost}:${SANDBOX_PORT}/console   (buyers' password: 111111)
  Demo settings (service, language) are at the bottom of the shop's pages.
  Ctrl-C stops everything.
────────────────────────────────────────────────────────────────────`)
} catch (error) {
  const message = String(error.message)
  console.error(
    /EADDRINUSE|port is taken|Port \d+ is taken/i.test(message)
      ? `A port is taken (shop ${SHOP_PORT}, simulator ${SANDBOX_PORT}): stop what uses it, or set DEMO_PORT / DEMO_SANDBOX_PORT.\n${message}`
      : message,
  )
  stop(1)
}
