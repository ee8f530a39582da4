import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'

/**
 * The kit's tracer: OpenTelemetry's API alone. Without an SDK registered by the application it is
 * a no-op costing next to nothing; with one, the kit's spans join the application's traces
 * (packages/koa/README.md, "Tracing").
 */
const tracer = trace.getTracer('@alipay-kit/koa')

/**
 * Runs `work` in an active span named `name`: an exception is recorded and marks the span as an
 * error before it propagates; the span always ends.
 */
export function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work(span)
    } catch (error) {
      span.recordException(error as Error)
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message })
      throw error
    } finally {
      span.end()
    }
  })
}

/** What a gateway call's span may say about it: the host, the path, Alipay's method or service, never the signed query. */
function gatewayAttributes(input: Parameters<typeof fetch>[0], init?: RequestInit): Attributes {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url)
  // The Open Platform posts its method in the form body; the legacy gateway names its service in the URL.
  const form =
    typeof init?.body === 'string' || init?.body instanceof URLSearchParams
      ? new URLSearchParams(init.body)
      : undefined
  const method =
    url.searchParams.get('method') ??
    url.searchParams.get('service') ??
    form?.get('method') ??
    form?.get('service')
  return {
    'http.request.method': init?.method ?? 'GET',
    'server.address': url.hostname,
    'url.path': url.pathname,
    ...(method ? { 'alipay.method': method } : {}),
  }
}

/** The kit's fetch to Alipay, each call a client span (`alipay.gateway`). */
export function tracedFetch(inner: typeof fetch): typeof fetch {
  return (input, init) =>
    inSpan(
      'alipay.gateway',
      { kind: SpanKind.CLIENT, attributes: gatewayAttributes(input, init) },
      async (span) => {
        const response = await inner(input, init)
        span.setAttribute('http.response.status_code', response.status)
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
        return response
      },
    )
}
