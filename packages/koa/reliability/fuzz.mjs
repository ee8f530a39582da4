import { createHash } from 'node:crypto'
import { request } from 'node:http'
import fc from 'fast-check'
import iconv from 'iconv-lite'

/*
 * Hostile input for every route: wrong methods, huge and truncated bodies, wrong Content-Types,
 * broken encodings, GBK bytes declared UTF-8, missing and repeated fields, overlong values,
 * prototype-pollution keys, and each path in case and encoding variants (docs/security.md,
 * "Paths"). Generated with fast-check from a seed, so a failure replays.
 */

/** Ways to write one path that a lax reader takes for the same (src/http/api-scope.ts). */
const PATH_VARIANTS = {
  asIs: (path) => path,
  upper: (path) => path.toUpperCase(),
  firstSegmentUpper: (path) => path.replace(/^\/[^/]+/, (segment) => segment.toUpperCase()),
  encodedLetter: (path) => path.replace(/^\/(.)/, (_, c) => `/%${c.charCodeAt(0).toString(16)}`),
  encodedSlash: (path) => path.replace(/^(\/[^/]+)\//, '$1%2F'),
  doubleSlash: (path) => `/${path}`,
  innerDoubleSlash: (path) => path.replace(/^(\/[^/]+)\//, '$1//'),
  dotSegment: (path) => `/.${path}`,
  trailingSlash: (path) => `${path}/`,
}

const ROUTES = [
  '/api/session',
  '/api/logout',
  '/api/login',
  '/api/cart',
  '/api/addresses/select',
  '/api/addresses/selected',
  '/api/orders',
  '/api/orders/:id',
  '/api/orders/:id/events',
  '/api/merchant/orders',
  '/api/merchant/orders/:id',
  '/api/merchant/orders/:id/refund',
  '/api/merchant/orders/:id/ship',
  '/api/merchant/orders/:id/close',
  '/api/merchant/orders/:id/query',
  '/api/merchant/notifications',
  '/alipay/notify',
  '/alipay/notify/legacy',
  '/alipay/return',
  '/alipay/return/legacy',
  '/alipay/login/return/:id',
  '/alipay/oauth/return',
  '/alipay/address/return/:id',
  '/healthz',
  '/api/catalog',
  '/nothing/here',
]

const weird = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%E4%B8%AD',
    '%C1%FA',
    '%',
    '%%%',
    '__proto__',
    'constructor',
    'x'.repeat(5000),
    '😀',
    'AK20261125AAAAAAAAAAAA',
  ),
)

const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=gbk',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=GBK',
  'text/plain',
  'multipart/form-data; boundary=----x',
  'application/xml',
  'garbage/type;;;charset=',
)

const field = fc.constantFrom(
  'out_trade_no',
  'trade_status',
  'total_fee',
  'total_amount',
  'sign',
  'sign_type',
  'notify_id',
  'app_id',
  'seller_id',
  'refund_status',
  'charset',
  '_input_charset',
  '__proto__',
  'constructor',
  'prototype',
  'items',
  'service',
  'quantity',
)

const formBody = fc
  .array(
    fc.tuple(
      field,
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('TRADE_SUCCESS', '128.00', '1e3', '-1', 'RSA2', 'MD5', 'x'.repeat(20_000)),
      ),
    ),
    { maxLength: 12 },
  )
  .map((pairs) => Buffer.from(pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')))

const jsonBody = fc
  .oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record({
      items: fc.array(
        fc.record({ sku: weird, quantity: fc.oneof(fc.integer(), fc.double(), fc.string()) }),
        { maxLength: 5 },
      ),
      service: weird,
    }),
    fc.constant({
      __proto__: { admin: true },
      constructor: { prototype: { polluted: true } },
      items: [],
    }),
  )
  .map((value) => Buffer.from(JSON.stringify(value) ?? 'null'))

const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  formBody,
  jsonBody,
  jsonBody.map((b) => b.subarray(0, Math.max(0, b.length - 3))), // truncated
  fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(iconv.encode('out_trade_no=龙井&subject=茶&sign=x', 'gbk')), // GBK bytes, declared whatever
  fc.constant(Buffer.from('__proto__[admin]=1&constructor[prototype][polluted]=1&a=1&a=2')),
  fc.integer({ min: 70_000, max: 300_000 }).map((n) => Buffer.alloc(n, 0x61)), // huge
)

export const fuzzRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  route: fc.constantFrom(...ROUTES),
  pathVariant: fc.constantFrom(...Object.keys(PATH_VARIANTS)),
  id: weird,
  query: fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?returnTo=//evil.example',
      '?returnTo=javascript:alert(1)',
      '?via=wechat',
      '?token=x',
      '?state=x&auth_code=y',
      '?limit=-1',
      '?outcome=%00',
      '?sign=%ZZ&out_trade_no=1',
    ),
    weird.map((w) => `?${encodeURIComponent(w)}=${encodeURIComponent(w)}`),
  ),
  contentType,
  csrf: fc.boolean(),
  origin: fc.constantFrom(undefined, 'https://evil.example', 'null'),
  cookie: fc.constantFrom(
    undefined,
    'akit_sid=',
    'akit_sid=garbage',
    `akit_sid=${'A'.repeat(43)}`,
    'akit_sid=%00%00',
  ),
  authorization: fc.constantFrom(undefined, 'Bearer ', 'Bearer wrong-secret', 'Basic Zm9vOmJhcg=='),
  body,
})

function send(base, spec) {
  const route = PATH_VARIANTS[spec.pathVariant](spec.route)
  const path = route.replace(':id', encodeURIComponent(spec.id).slice(0, 6000)) + spec.query
  const url = new URL(base)
  const headers = {}
  if (spec.contentType) headers['content-type'] = spec.contentType
  if (spec.csrf) headers['x-alipay-kit'] = '1'
  if (spec.origin) headers.origin = spec.origin
  if (spec.cookie) headers.cookie = spec.cookie
  if (spec.authorization) headers.authorization = spec.authorization
  const withBody = spec.method !== 'GET' && spec.method !== 'HEAD' && spec.body.length > 0
  if (withBody) headers['content-length'] = String(spec.body.length)
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, method: spec.method, path, headers, timeout: 15_000 },
      (res) => {
        // Server-sent events stay open: read the first bytes and hang up, as a leaving buyer would.
        res.once('data', () => {
          if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy()
        })
        res.on('end', () => resolve({ status: res.statusCode }))
        res.on('close', () => resolve({ status: res.statusCode }))
        res.resume()
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (error) => resolve({ status: 0, error: error.code ?? error.message }))
    if (withBody) req.end(spec.body)
    else req.end()
  })
}

/** A fingerprint of the business state: orders, transitions and hook jobs. Fuzzing must not move it. */
export async function businessFingerprint(db) {
  const { rows } = await db.query(`
    select
      (select coalesce(string_agg(id || ':' || trade_status || ':' || version, ',' order by id), '') from akit_orders) as orders,
      (select count(*) from akit_order_events) as events,
      (select count(*) from akit_hook_jobs) as jobs`)
  return createHash('sha256').update(JSON.stringify(rows[0])).digest('hex')
}

/**
 * Sends `count` generated requests (`concurrency` at a time) to a BFF process and reports: status
 * counts, 5xx, transport errors, whether the process stayed up, its heap before and after, and
 * whether the business state moved.
 */
export async function fuzzRoutes({ bff, db, count = 2_000, concurrency = 8, seed = 20261125 }) {
  const specs = fc.sample(fuzzRequest, { numRuns: count, seed })
  const statuses = {}
  const errors = {}
  const fiveHundreds = []
  const before = await businessFingerprint(db)
  let next = 0
  let memoryStart
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < specs.length) {
        const index = next++
        if (index === Math.floor(count * 0.2)) memoryStart = await bff.memory() // after warm-up
        const spec = specs[index]
        const { status, error } = await send(bff.url, spec)
        statuses[status] = (statuses[status] ?? 0) + 1
        if (error) errors[error] = (errors[error] ?? 0) + 1
        if (status >= 500)
          fiveHundreds.push({
            method: spec.method,
            route: spec.route,
            query: spec.query.slice(0, 200),
            contentType: spec.contentType,
            body: spec.body.subarray(0, 200).toString('latin1'),
            status,
          })
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const memoryEnd = await bff.memory()
  const health = await fetch(`${bff.url}/healthz`)
    .then((r) => r.status)
    .catch(() => 0)
  return {
    requests: count,
    seconds,
    statuses,
    errors,
    fiveHundreds,
    alive: bff.child.exitCode === null && health === 200,
    heapStartMb: memoryStart.heapUsed / 2 ** 20,
    heapEndMb: memoryEnd.heapUsed / 2 ** 20,
    rssEndMb: memoryEnd.rss / 2 ** 20,
    businessUnchanged: (await businessFingerprint(db)) === before,
  }
}

/**
 * The fuzz run end to end: a fresh database, the simulator, one BFF process and a few real orders
 * for the generator to aim at; then `fuzzRoutes`. Everything is torn down afterwards.
 */
export async function hostileInput({ adminUrl, count = 2_000, seed = undefined }) {
  const { startSandbox } = await import('@alipay-kit/sandbox')
  const { default: pg } = await import('pg')
  const { startBffProcess } = await import('./processes.mjs')
  const { createDatabase } = await import('./world.mjs')
  const database = await createDatabase(adminUrl, 'akit_fuzz')
  const sandbox = await startSandbox()
  const bff = await startBffProcess({
    store: database.url,
    credentials: sandbox.credentials,
    sandboxUrl: sandbox.url,
  })
  const db = new pg.Pool({ connectionString: database.url, max: 2 })
  try {
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${bff.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-alipay-kit': '1' },
        body: JSON.stringify({ items: [{ sku: 'tea', quantity: 1 }], service: 'page' }),
      })
      if (response.status !== 201) throw new Error(`order: ${response.status}`)
    }
    return await fuzzRoutes({ bff, db, count, seed })
  } finally {
    await bff.kill('SIGTERM')
    await db.end()
    await sandbox.close()
    await database.drop()
  }
}
