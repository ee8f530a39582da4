import { describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'

/*
 * Issue 25, finding 6: a WEBHOOK_URL with a user name and password can never be delivered (fetch
 * refuses such a URL) and its password would be logged with every failed try. The server refuses
 * it at start, naming the variable, without repeating the password.
 */

describe('WEBHOOK_URL', () => {
  it('with a user name or password is refused at start, without repeating it', () => {
    let message = ''
    try {
      parseEnv({
        WEBHOOK_URL: 'https://erp.example/ok, https://shop:hunter2-password@hooks.example/in',
        WEBHOOK_SECRET: 'w'.repeat(24),
      })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/WEBHOOK_URL: must not carry a user name or password/)
    expect(message).not.toContain('hunter2-password')
  })

  it('with a token in its query is taken (the log and the merchant API show it as `…`)', () => {
    expect(
      parseEnv({
        WEBHOOK_URL: 'https://hooks.example/in?token=abc',
        WEBHOOK_SECRET: 'w'.repeat(24),
      }).WEBHOOK_URL,
    ).toEqual(['https://hooks.example/in?token=abc'])
  })
})
