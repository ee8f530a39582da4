// A server for the notify benchmark, in its own process: `ceiling` (a bare Koa handler that only
// verifies the RSA2 signature) or `bff` (the full kit) on PGlite or PostgreSQL. Prints its URL.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createOpenConfig, verifyOpenNotification } from '@alipay-kit/core'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import Koa from 'koa'
import { pino } from 'pino'

const [mode, location, fixtureFile] = process.argv.slice(2)
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8'))
const server = createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}`
const open = {
  appId: fixture.appId,
  privateKey: fixture.appPrivateKey,
  alipayPublicKey: fixture.alipayPublicKey,
  gateway: 'http://127.0.0.1:9/gateway.do',
}
const app = new Koa()
app.silent = true

if (mode === 'ceiling') {
  const config = createOpenConfig(open)
  app.use(async (ctx) => {
    const chunks = []
    for await (const chunk of ctx.req) chunks.push(chunk)
    const result = verifyOpenNotification(config, {
      body: Buffer.concat(chunks),
      contentType: ctx.get('content-type'),
    })
    ctx.type = 'text/plain'
    ctx.body = result.ok ? 'success' : 'fail'
  })
} else {
  const store = await openStore(location, { max: Number(process.env.PG_POOL ?? 10) })
  const kit = await createAlipayKit({
    publicUrl: url,
    open,
    store,
    pricing: catalogPricing([{ sku: 'x', name: 'x', price: '1.00' }]),
    hooks: { onPaid: () => {} },
    merchantApiSecret: 'bench-secret-0123456789',
    logger: pino({ level: 'silent' }),
  })
  // The orders the notifications are for, inserted in bulk.
  const state = JSON.stringify({
    trade: 'WAIT_BUYER_PAY',
    paid: false,
    shipped: false,
    mode: 'instant',
    refundRound: 0,
    refundsSucceeded: [],
  })
  for (let i = 0; i < fixture.orders.length; i += 1000) {
    const ids = fixture.orders.slice(i, i + 1000)
    await store.query(
      `insert into akit_orders (id, access_token_hash, gateway, service, subject, amount_fen, items, state, trade_status)
       select id, 'x', 'open', 'page', 'bench', 100, '[]'::jsonb, $2::jsonb, 'WAIT_BUYER_PAY' from unnest($1::text[]) as id
       on conflict (id) do nothing`,
      [ids, state],
    )
  }
  app.use(kit.middleware)
}
server.on('request', app.callback())
console.log(`READY ${url}`)
// Exit cleanly on SIGTERM so profilers (--cpu-prof) can write their output.
process.once('SIGTERM', () => process.exit(0))
