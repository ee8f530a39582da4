import { createLegacyClient } from '@alipay-kit/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from './clock.js'
import { type RunningSandbox, startSandbox } from './server.js'
import { Browser } from './test-support/browser.js'

const MINUTE = 60_000
const clock = new ManualClock()
let sandbox: RunningSandbox
let alipay: ReturnType<typeof createLegacyClient>
beforeAll(async () => {
  sandbox = await startSandbox({ clock })
  alipay = createLegacyClient({
    partner: sandbox.credentials.partner,
    key: sandbox.credentials.key,
    gateway: sandbox.gatewayUrl,
  })
})
afterAll(() => sandbox.close())

let seq = 0
const pay = (token: string) =>
  alipay.directPay({
    out_trade_no: `V${++seq}`,
    subject: 'Tea',
    total_fee: '1.00',
    token,
    notify_url: 'http://127.0.0.1:9/notify',
    return_url: 'http://127.0.0.1:9/return',
  }).url

describe('validity windows, on the simulator clock', () => {
  it("a quick-login token skips Alipay's login while Alipay's 10-minute login state lasts", async () => {
    const { token } = await sandbox.admin.token('2088102000000001')
    clock.advance(9 * MINUTE)
    const early = new Browser(sandbox.url)
    await early.open(pay(token))
    expect(early.html).toContain('支付宝收银台')

    clock.advance(2 * MINUTE) // 11 minutes: Alipay checks its login state before the token
    const late = new Browser(sandbox.url)
    await late.open(pay(token))
    expect(late.html).toContain('登录支付宝')
  })

  it("a return redirect's notify_id verifies for one minute, a notification's for the whole retry window", async () => {
    const url = pay('none')
    await fetch(url, { redirect: 'manual' })
    const no = new URL(url).searchParams.get('out_trade_no') as string
    const { returnUrl } = await sandbox.admin.pay(no)
    const returned = new URL(returnUrl as string).searchParams.get('notify_id') as string
    const notified = sandbox.simulator.deliveries.list(no)[0]?.notifyId as string
    const check = async (id: string) => (await fetch(alipay.notifyVerifyUrl(id))).text()

    clock.advance(59_000)
    expect(await check(returned)).toBe('true')
    clock.advance(2_000)
    expect(await check(returned)).toBe('false')
    clock.advance(25 * 60 * MINUTE)
    expect(await check(notified)).toBe('true')
    // Another partner cannot verify this merchant's notify_id.
    const stranger = await fetch(
      alipay.notifyVerifyUrl(notified).replace(sandbox.credentials.partner, '2088000000000001'),
    )
    expect(await stranger.text()).toBe('false')
  })
})
