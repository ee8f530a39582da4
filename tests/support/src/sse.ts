/** A server-sent-events reader over fetch: collects `status` events and waits for one that matches. */
export async function openEventStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  })
  if (!response.ok || !response.body) throw new Error(`SSE ${url}: ${response.status}`)
  const events: any[] = []
  const arrivals: number[] = []
  const waiters: Array<{ check: (event: any) => boolean; resolve: (event: any) => void }> = []
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        buffer += value
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data: '))
            .map((line) => line.slice(6))
            .join('\n')
          if (!/^event: status$/m.test(block) || data === '') continue
          const event = JSON.parse(data)
          events.push(event)
          arrivals.push(performance.now())
          for (const waiter of [...waiters]) {
            if (waiter.check(event)) {
              waiters.splice(waiters.indexOf(waiter), 1)
              waiter.resolve(event)
            }
          }
        }
      }
    } catch {
      // aborted
    }
  })()
  return {
    events,
    arrivals,
    contentType: response.headers.get('content-type'),
    /** Resolves with the first event (already received or still to come) that `check` accepts. */
    next(check: (event: any) => boolean, timeoutMs = 5_000): Promise<any> {
      const seen = events.find(check)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no matching SSE event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.phase))}`,
              ),
            ),
          timeoutMs,
        )
        waiters.push({
          check,
          resolve: (event) => {
            clearTimeout(timer)
            resolve(event)
          },
        })
      })
    },
    async close() {
      controller.abort()
      await pump
    },
  }
}
