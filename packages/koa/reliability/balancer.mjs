import { createServer, request } from 'node:http'

/**
 * A round-robin HTTP load balancer in front of BFF instances, as a deployment has: each request
 * goes to the next backend; a backend that refuses the connection is skipped (failover), and a
 * request that dies half-way answers 502 (the client, here Alipay, retries).
 */
export async function startBalancer(backends) {
  let next = 0
  const stats = { forwarded: 0, failedOver: 0, badGateway: 0 }
  const forward = (req, body, res, tries) => {
    const target = new URL(backends[next++ % backends.length])
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
        stats.forwarded++
      },
    )
    upstream.on('error', (error) => {
      if (error.code === 'ECONNREFUSED' && tries < backends.length) {
        stats.failedOver++
        forward(req, body, res, tries + 1)
      } else if (!res.headersSent) {
        stats.badGateway++
        res.writeHead(502)
        res.end('bad gateway')
      } else res.destroy()
    })
    upstream.end(body)
  }
  const server = createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    forward(req, Buffer.concat(chunks), res, 1)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
