// `pnpm reconcile --date 2026-12-01`: reconciles a day's Alipay bill on a running BFF (the demo's,
// or a deployed one) through its merchant API, and prints what differs. Settings: --url or
// BFF_URL (default http://127.0.0.1:3000, the demo), MERCHANT_API_SECRET (default: the
// simulator-only secret the demo prints). Exit code: 0 matched, 2 differences or no bill, 1 error.
import { parseArgs } from 'node:util'

const SANDBOX_SECRET = 'sandbox-merchant-secret-not-for-production'

function usage(message) {
  console.error(`${message}\nUsage: pnpm reconcile --date yyyy-MM-dd [--url http://127.0.0.1:3000]`)
  process.exit(1)
}

let values
try {
  ;({ values } = parseArgs({
    options: { date: { type: 'string' }, url: { type: 'string' } },
    strict: true,
  }))
} catch (error) {
  usage(error.message)
}
const date = values.date
if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date))
  usage('--date must be a day like 2026-12-01 (China time)')
const base = (values.url ?? process.env.BFF_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')
const secret = process.env.MERCHANT_API_SECRET ?? SANDBOX_SECRET

let response
try {
  response = await fetch(`${base}/api/merchant/reconciliations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      'content-type': 'application/json',
      'x-alipay-kit': '1',
    },
    body: JSON.stringify({ date }),
    signal: AbortSignal.timeout(120_000),
  })
} catch (error) {
  console.error(
    `The BFF at ${base} could not be reached (${error.cause?.message ?? error.message}): start it (pnpm demo) or pass --url`,
  )
  process.exit(1)
}
const body = await response.json().catch(() => ({}))
if (!response.ok) {
  const error = body.error ?? {}
  console.error(
    `${response.status} ${error.code ?? ''}: ${error.message ?? 'the BFF refused the request'}`,
  )
  if (response.status === 401)
    console.error("Set MERCHANT_API_SECRET to the BFF's merchant API secret.")
  process.exit(1)
}
console.log(
  `Bill of ${body.date}: ${body.status} (${body.billLines} line(s), ${body.ordersChecked} order(s) checked)`,
)
if (body.error) console.log(body.error)
for (const item of body.items ?? [])
  console.log(
    `  ${item.settled ? 'settled' : 'OPEN   '} ${item.kind.padEnd(17)} ${item.orderId}  ${item.detail}`,
  )
console.log(`${body.differences} difference(s), ${body.settled} settled by asking Alipay`)
process.exit(body.status === 'matched' ? 0 : body.status === 'failed' ? 1 : 2)
