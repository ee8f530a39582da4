// RSA2 signing and notification checking: ours against raw node:crypto on a pre-parsed key (the
// ceiling) and against the official alipay-sdk. Runs on the built package (dist).

import { spawnSync } from 'node:child_process'
import { createPublicKey, createSign, createVerify, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import {
  canonicalString,
  createOpenClient,
  parseNotificationBody,
  rsaSignParams,
  rsaSignString,
  rsaVerifyString,
  verifyOpenNotification,
} from '../dist/index.js'

const require = createRequire(import.meta.url)
const { AlipaySdk } = require('alipay-sdk')

const app = generateKeyPairSync('rsa', { modulusLength: 2048 })
const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 })
const pem = (key, type) => key.export({ format: 'pem', type })
const APP_ID = '2021000000000001'
const biz = { out_trade_no: 'BENCH-1001', total_amount: '88.80', subject: '龙井茶 a+b' }
const callbacks = {
  notifyUrl: 'https://shop.example/alipay/notify',
  returnUrl: 'https://shop.example/alipay/return',
}

const ours = createOpenClient({
  appId: APP_ID,
  privateKey: pem(app.privateKey, 'pkcs1'),
  alipayPublicKey: alipay.publicKey,
})
const sdk = new AlipaySdk({
  appId: APP_ID,
  privateKey: pem(app.privateKey, 'pkcs1'),
  alipayPublicKey: pem(alipay.publicKey, 'spki'),
})

// The ceiling for signing: the very string a page-pay request signs, on a pre-parsed KeyObject.
const { sign: _s, ...unsignedRequest } = ours.pagePay(biz, callbacks).params
const requestString = canonicalString(unsignedRequest, { exclude: ['sign'], dropEmpty: true })

// A notification Alipay really sent, with its signature and Alipay's key: the conformance sample
// (conformance/open-notify-paid.json, from alipay-sdk's own tests), 25 fields, about 1.2 kB.
const sample = JSON.parse(
  readFileSync(new URL('../conformance/open-notify-paid.json', import.meta.url), 'utf8'),
)
const alipayNotifyKey = createPublicKey({
  key: Buffer.from(sample.signature.alipayPublicKey, 'base64'),
  format: 'der',
  type: 'spki',
})
const notifier = createOpenClient({
  appId: sample.fields.app_id,
  privateKey: pem(app.privateKey, 'pkcs1'),
  alipayPublicKey: alipayNotifyKey,
})
const sdkNotified = new AlipaySdk({
  appId: sample.fields.app_id,
  privateKey: pem(app.privateKey, 'pkcs1'),
  alipayPublicKey: alipayNotifyKey.export({ format: 'pem', type: 'spki' }),
})
const signedNotification = sample.fields
const notifyString = canonicalString(signedNotification, {
  exclude: ['sign', 'sign_type'],
  dropEmpty: false,
})
const notifySign = signedNotification.sign
const body = Buffer.from(new URLSearchParams(signedNotification).toString())
const contentType = 'application/x-www-form-urlencoded; charset=utf-8'
const notifyParsed = { ...signedNotification }

// Sanity: every contestant does the real work and succeeds.
if (!verifyOpenNotification(notifier.config, { body, contentType }).ok)
  throw new Error('our verify failed')
if (!sdkNotified.checkNotifySignV2({ ...signedNotification })) throw new Error('sdk verify failed')
if (rsaSignString(requestString, app.privateKey).length < 300) throw new Error('sign failed')

const tasks = {}
const add = (name, fn) => {
  tasks[name] = fn
  return { add }
}
add('sign: raw node:crypto, pre-parsed key', () =>
  createSign('RSA-SHA256').update(requestString).sign(app.privateKey, 'base64'),
)
  .add('sign: alipay-kit rsaSignParams (canonical + sign)', () =>
    rsaSignParams(unsignedRequest, ours.config.privateKey),
  )
  .add('sign: alipay-kit pagePay (validate + build + sign)', () => ours.pagePay(biz, callbacks).url)
  .add('sign: alipay-sdk pageExec', () =>
    sdk.pageExec('alipay.trade.page.pay', 'GET', { bizContent: biz, ...callbacks }),
  )
  .add('verify: raw node:crypto, pre-parsed key', () =>
    createVerify('RSA-SHA256').update(notifyString).verify(alipayNotifyKey, notifySign, 'base64'),
  )
  .add('verify: alipay-kit canonical + rsaVerifyString', () =>
    rsaVerifyString(
      canonicalString(notifyParsed, { exclude: ['sign', 'sign_type'], dropEmpty: false }),
      notifyParsed.sign,
      notifier.config.alipayPublicKey,
    ),
  )
  .add('verify: alipay-kit verifyOpenNotification (raw body)', () =>
    verifyOpenNotification(notifier.config, { body, contentType }),
  )
  .add('verify: alipay-sdk checkNotifySignV2', () =>
    sdkNotified.checkNotifySignV2({ ...signedNotification }),
  )
  // The parts of the raw-body verify that are not RSA, and the same body read by Node's own form
  // parser: what the 0.8× target leaves them (printed below) against what reading 25 fields costs.
  .add('part: alipay-kit parseNotificationBody', () => parseNotificationBody(body, contentType))
  .add('part: alipay-kit canonicalString', () =>
    canonicalString(notifyParsed, { exclude: ['sign', 'sign_type'], dropEmpty: false }),
  )
  .add("part: Node's URLSearchParams, same body", () => {
    const fields = Object.create(null)
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) fields[name] = value
    return fields
  })

// Each task runs in a process of its own: in one shared process the garbage of one contestant
// (the SDK allocates heavily) slows whichever runs after it, which would skew the ratios.
async function measure(name) {
  const bench = new Bench({ time: Number(process.env.BENCH_MS ?? 1500), warmupTime: 300 })
  bench.add(name, tasks[name])
  await bench.run()
  const { result } = bench.tasks[0]
  if (result.state !== 'completed')
    throw new Error(`${name}: ${result.state} ${result.error ?? ''}`)
  return { opsPerSecond: 1000 / result.latency.mean, rme: result.latency.rme }
}

const only = process.argv[2]
if (only) {
  console.log(JSON.stringify(await measure(only)))
  process.exit(0)
}
const results = {}
for (const name of Object.keys(tasks)) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], {
    encoding: 'utf8',
  })
  if (child.status !== 0) throw new Error(`${name} failed:\n${child.stderr}`)
  results[name] = JSON.parse(child.stdout.trim().split('\n').pop())
}
const opsPerSecond = Object.fromEntries(
  Object.entries(results).map(([name, r]) => [name, r.opsPerSecond]),
)
console.log('\n@alipay-kit/core: RSA2 signing and notification verification (2048-bit keys)\n')
console.table(
  Object.entries(results).map(([task, r]) => ({
    task,
    'ops/s': Math.round(r.opsPerSecond),
    '±%': r.rme.toFixed(1),
  })),
)
const ratio = (a, b) => opsPerSecond[a] / opsPerSecond[b]
const rows = [
  [
    'sign primitive: ours / raw crypto (target ≥ 0.9)',
    ratio(
      'sign: alipay-kit rsaSignParams (canonical + sign)',
      'sign: raw node:crypto, pre-parsed key',
    ),
  ],
  [
    'sign, full pagePay: ours / raw crypto',
    ratio(
      'sign: alipay-kit pagePay (validate + build + sign)',
      'sign: raw node:crypto, pre-parsed key',
    ),
  ],
  [
    'sign, full: ours / alipay-sdk pageExec',
    ratio('sign: alipay-kit pagePay (validate + build + sign)', 'sign: alipay-sdk pageExec'),
  ],
  [
    'verify primitive: ours / raw crypto (target ≥ 0.9)',
    ratio(
      'verify: alipay-kit canonical + rsaVerifyString',
      'verify: raw node:crypto, pre-parsed key',
    ),
  ],
  [
    'verify, raw body: ours / raw crypto (target ≥ 0.8)',
    ratio(
      'verify: alipay-kit verifyOpenNotification (raw body)',
      'verify: raw node:crypto, pre-parsed key',
    ),
  ],
  [
    'verify, raw body: ours / alipay-sdk checkNotifySignV2',
    ratio(
      'verify: alipay-kit verifyOpenNotification (raw body)',
      'verify: alipay-sdk checkNotifySignV2',
    ),
  ],
]
for (const [label, value] of rows) console.log(`${label.padEnd(56)} ${value.toFixed(2)}×`)

// At 0.8× the raw verify, everything else gets a quarter of the RSA verify's time.
const µs = (name) => 1e6 / opsPerSecond[name]
const rsa = µs('verify: raw node:crypto, pre-parsed key')
console.log(
  `\nraw-body verify, µs per call: RSA alone ${rsa.toFixed(1)}, ours ${µs('verify: alipay-kit verifyOpenNotification (raw body)').toFixed(1)}; ` +
    `at 0.8× the rest gets ${(rsa / 0.8 - rsa).toFixed(1)} µs, and takes now ` +
    `${(µs('verify: alipay-kit verifyOpenNotification (raw body)') - rsa).toFixed(1)}: ` +
    `parse ${µs('part: alipay-kit parseNotificationBody').toFixed(1)}, canonical string ` +
    `${µs('part: alipay-kit canonicalString').toFixed(1)} (Node's URLSearchParams reads the same body in ` +
    `${µs("part: Node's URLSearchParams, same body").toFixed(1)})`,
)
