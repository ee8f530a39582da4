import type { IncomingMessage } from 'node:http'

/** The largest request body the simulator reads (Alipay's own forms are a few kilobytes). */
export const MAX_BODY_BYTES = 1024 * 1024

/** Reads the raw request body, refusing more than `limit` bytes. */
export async function readRawBody(
  request: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > limit)
      throw Object.assign(new Error(`request body over ${limit} bytes`), { status: 413 })
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}
