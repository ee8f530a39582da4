import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook, WebhookVerificationError } from './webhook.js'

const SECRET = 'whsec_test_0123456789abcdef'
const body = JSON.stringify({
  id: 'evt_AK1_trade:paid',
  type: 'order.paid',
  createdAt: '2026-12-02T01:00:00.000Z',
  order: { id: 'AK1', phase: 'paid' },
})

async function failure(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof WebhookVerificationError))
    throw new Error(`expected a refusal, got ${error}`)
  return error
}

describe('verifyWebhook', () => {
  it('answers the event of a body signed with the secret, from a string or bytes', async () => {
    const header = await signWebhook(body, SECRET)
    expect((await verifyWebhook(body, header, SECRET)).type).toBe('order.paid')
    expect((await verifyWebhook(new TextEncoder().encode(body), header, SECRET)).id).toBe(
      'evt_AK1_trade:paid',
    )
    // One of several v1 (a secret being rotated) is enough.
    const rotated = `${header},v1=${'0'.repeat(64)}`
    expect((await verifyWebhook(body, rotated, SECRET)).type).toBe('order.paid')
  })

  it('refuses a tampered body, a wrong secret, an old timestamp and a malformed header, naming the part', async () => {
    const header = await signWebhook(body, SECRET)
    expect(
      (await failure(verifyWebhook(body.replace('paid', 'shipped'), header, SECRET))).part,
    ).toBe('signature')
    expect((await failure(verifyWebhook(body, header, 'another-secret'))).part).toBe('signature')
    const old = await signWebhook(body, SECRET, Math.floor(Date.now() / 1000) - 600)
    const stale = await failure(verifyWebhook(body, old, SECRET))
    expect([stale.part, stale.code]).toEqual(['timestamp', 'WEBHOOK_INVALID'])
    expect((await verifyWebhook(body, old, SECRET, { toleranceSec: 900 })).type).toBe('order.paid')
    for (const bad of [undefined, '', 'v1=abc', 't=abc,v1=00', 't=1'])
      expect((await failure(verifyWebhook(body, bad, SECRET))).part, String(bad)).toBe('header')
  })
})

/** The Python example (examples/webhooks/verify_webhook.py), run as another language would. */
function python(header: string, secret: string, input: string) {
  const script = fileURLToPath(
    new URL('../../../examples/webhooks/verify_webhook.py', import.meta.url),
  )
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile('python3', [script, secret, header], (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
    child.stdin?.end(input)
  })
}

describe('the Python example', () => {
  it('accepts what the kit signs, and refuses a tampered body, a wrong secret and an old timestamp', async () => {
    const header = await signWebhook(body, SECRET)
    expect(await python(header, SECRET, body)).toMatchObject({
      code: 0,
      stdout: 'order.paid evt_AK1_trade:paid\n',
    })
    expect((await python(header, SECRET, body.replace('AK1', 'AK2'))).stderr).toMatch(/^signature:/)
    expect((await python(header, 'another-secret', body)).stderr).toMatch(/^signature:/)
    const old = await signWebhook(body, SECRET, Math.floor(Date.now() / 1000) - 600)
    expect(await python(old, SECRET, body)).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^timestamp:/),
    })
    expect((await python('nonsense', SECRET, body)).stderr).toMatch(/^header:/)
  })
})
