import type { Context } from 'koa'
import type { z } from 'zod'
import { ApiError } from './errors.js'

/**
 * Reads the request body as raw bytes, at most `limit` of them. A body parser mounted before the
 * kit would have consumed the stream: its raw copy (`ctx.request.rawBody`) is used then, because
 * notifications must be verified over the bytes Alipay sent, not a parsed object.
 */
export async function readRaw(ctx: Context, limit: number): Promise<Buffer> {
  const parsed = (ctx.request as { rawBody?: string | Buffer }).rawBody
  if (parsed !== undefined) return Buffer.isBuffer(parsed) ? parsed : Buffer.from(parsed, 'latin1')
  const declared = Number(ctx.get('content-length') || 0)
  if (declared > limit)
    throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length
    if (size > limit) {
      ctx.req.resume()
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `The body is over ${limit} bytes`)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Reads and validates a JSON body: 415 for another Content-Type, 400 naming the field at fault. */
export async function readJson<T extends z.ZodType>(
  ctx: Context,
  schema: T,
  limit = 16 * 1024,
): Promise<z.output<T>> {
  const raw = await readRaw(ctx, limit)
  if (raw.length > 0 && !ctx.is('application/json'))
    throw new ApiError(415, 'INVALID_INPUT', 'Send the body as application/json')
  let value: unknown
  try {
    value = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'))
  } catch {
    throw new ApiError(400, 'INVALID_INPUT', 'The body is not valid JSON')
  }
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue?.path.join('.') || undefined
  throw new ApiError(
    400,
    'INVALID_INPUT',
    `${field ?? 'body'}: ${issue?.message ?? 'is invalid'}`,
    field,
  )
}
