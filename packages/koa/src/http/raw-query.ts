import type { Context } from 'koa'

/** The raw query string as a form body, for verification over the bytes Alipay sent. */
export function rawQuery(ctx: Context) {
  return {
    body: Buffer.from(ctx.querystring, 'latin1'),
    contentType: 'application/x-www-form-urlencoded',
  }
}
