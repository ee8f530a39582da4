// The BFF for the abuse benchmark (abuse.bench.mjs), in its own process: the kit with its default
// rate limits, behind a "proxy" (app.proxy: the client's address is X-Forwarded-For's last hop,
// so each simulated buyer has an address of its own), on PostgreSQL or PGlite. Prints READY <url>.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { catalogPricing, createAlipayKit, openStore } from '@alipay-kit/koa'
import Koa from 'koa'
import { pino } from 'pino'

const [location, fixtureFile] = process.argv.slice(2)
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8'))
const server = createServer()
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${server.address().port}`
const store = await openStore(location, { max: 10 })
const kit = await createAlipayKit({
  publicUrl: url,
  open: {
    appId: fixture.appId,
    privateKey: fixture.appPrivateKey,
    alipayPublicKey: fixture.alipayPublicKey,
    gateway: 'http://127.0.0.1:9/gateway.do',
  },
  services: ['page'],
  store,
  pricing: catalogPricing([{ sku: 'tea', name: '龙井茶', price: '1.00', ships: false }]),
  merchantApiSecret: 'bench-secret-0123456789',
  processMetrics: false,
  logger: pino({ level: 'silent' }),
})
const app = new Koa()
app.proxy = true
app.maxIpsCount = 1
app.silent = true
app.use(kit.middleware)
server.on('request', app.callback())
console.log(`READY ${url}`)
process.once('SIGTERM', () => process.exit(0))
