import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLegacyClient } from '@alipay-kit/core'
import { afterAll, describe, expect, it } from 'vitest'
import { parseCliArgs } from './cli-args.js'
import { startSandbox } from './server.js'

const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('optional JSON persistence', () => {
  it('a restarted sandbox keeps its trades, tokens and notify ids', async () => {
    const stateFile = join(dir, 'state.json')
    const first = await startSandbox({ stateFile })
    const alipay = createLegacyClient({
      partner: first.credentials.partner,
      key: first.credentials.key,
      gateway: first.gatewayUrl,
    })
    const request = alipay.directPay({
      out_trade_no: 'KEEP-1',
      subject: '龙井茶',
      total_fee: '3.00',
      notify_url: 'http://127.0.0.1:9/notify',
      return_url: 'http://127.0.0.1:9/return',
    })
    await fetch(request.url, { redirect: 'manual' })
    const paid = await first.admin.pay('KEEP-1')
    const { token } = await first.admin.token('2088102000000002')
    await first.close()
    expect(JSON.parse(readFileSync(stateFile, 'utf8')).trades).toHaveLength(1)

    const second = await startSandbox({ stateFile, credentials: first.credentials })
    try {
      const { trade } = await second.admin.trade('KEEP-1')
      expect(trade).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', buyerId: '2088102000000001' })
      expect(second.simulator.tokenBuyer(token)?.realName).toBe('李四')
      const notifyId = new URL(paid.returnUrl as string).searchParams.get('notify_id') as string
      const verify = alipay.notifyVerifyUrl(notifyId).replace(first.gatewayUrl, second.gatewayUrl)
      expect(await (await fetch(verify)).text()).toBe('true')
    } finally {
      await second.close()
    }
  })

  it('refuses a broken state file with its path and what to do', async () => {
    const stateFile = join(dir, 'broken.json')
    writeFileSync(stateFile, '{ not json')
    await expect(startSandbox({ stateFile })).rejects.toThrow(
      /broken\.json is not valid JSON.*fix or delete it/,
    )
  })
})

describe('command line', () => {
  it('reads ports, time scale, state and repeatable faults', () => {
    expect(
      parseCliArgs([
        '--port',
        '0',
        '--time-scale',
        '1000',
        '--state',
        'x.json',
        '--fault',
        'duplicates=3',
        '--fault',
        'gbk',
        '--fault',
        'amount=0.01',
      ]),
    ).toMatchObject({
      port: 0,
      timeScale: 1000,
      stateFile: 'x.json',
      faults: { duplicates: 3, gbk: true, amount: '0.01' },
    })
    expect(parseCliArgs([])).toMatchObject({ port: 4010, host: '127.0.0.1', faults: {} })
  })

  it.each([
    [['--port', 'http'], /--port must be a port number/],
    [['--time-scale', '0'], /--time-scale must be a positive number/],
    [['--fault', 'meteor'], /--fault: unknown fault "meteor"/],
    [['--fault', 'duplicates=many'], /--fault: duplicates must be a whole number/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message)
  })
})
