import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseEnv, type RunningBff, startBff } from '@alipay-kit/bff-server'
import { createMerchantClient, type MerchantClient } from '@alipay-kit/client'
import { type HookEvent, REDACTED_PATHS } from '@alipay-kit/koa'
import { type RunningSandbox, startSandbox } from '@alipay-kit/sandbox'
import { LogCapture, secretsInLogs, testPgliteDir } from '@alipay-kit/testing'
import { pino } from 'pino'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { CHROMIUM_LAUNCH } from '../../../scripts/chromium.mjs'

const SHOP_DIST = fileURLToPath(new URL('../dist', import.meta.url))
const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/e2e/', import.meta.url))

export interface Shop {
  readonly url: string
  readonly sandbox: RunningSandbox
  readonly bff: RunningBff
  readonly merchant: MerchantClient
  /** Every hook call of the BFF, in order. */
  readonly hooks: Array<{ event: string; orderId: string; key: string }>
  readonly browser: Browser
  /** A fresh browser profile: a new buyer. */
  buyer(): Promise<{ context: BrowserContext; page: Page }>
  /** Keeps a screenshot of the page as a test artifact (test-results/e2e/<name>.png). */
  screenshot(page: Page, name: string): Promise<void>
  close(): Promise<void>
}

/** The three real servers (the simulator, the BFF on PGlite, the shop it serves) and Chromium. */
export async function startShop(
  options: { clock?: 'sandbox'; env?: Readonly<Record<string, string>> } = {},
): Promise<Shop> {
  const sandbox = await startSandbox()
  // The BFF's embedded store in a data directory of its own, as in the demo (a copy of a migrated one).
  const data = await testPgliteDir()
  const logs = new LogCapture()
  const hooks: Shop['hooks'] = []
  const record = (event: HookEvent) => {
    hooks.push({ event: event.event, orderId: event.order.id, key: event.key })
  }
  const bff = await startBff(
    parseEnv({
      PORT: '0',
      PGLITE_DIR: data.dir,
      STATIC_DIR: SHOP_DIST,
      ALIPAY_SANDBOX_URL: sandbox.url,
      LOG_LEVEL: 'silent',
      ...options.env,
    }),
    {
      hooks: {
        onPaid: record,
        onShipped: record,
        onFinished: record,
        onRefunded: record,
        onClosed: record,
      },
      logger: pino(
        { level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
        logs,
      ),
      // On the simulator's test clock, the BFF's days pass with the simulator's.
      ...(options.clock === 'sandbox' ? { clock: () => sandbox.simulator.now() } : {}),
    },
  )
  const browser = await chromium.launch(CHROMIUM_LAUNCH)
  const contexts: BrowserContext[] = []
  // The BFF serves the shop with its Content-Security-Policy on: anything it blocks (a script, a
  // style, the payment form's post to Alipay) is a failure, reported when the shop closes.
  const violations: string[] = []
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    url: bff.url,
    sandbox,
    bff,
    merchant: createMerchantClient({ baseUrl: bff.url, secret: bff.merchantApiSecret }),
    hooks,
    browser,
    async buyer() {
      const context = await browser.newContext({
        viewport: { width: 1100, height: 800 },
        locale: 'zh-CN',
      })
      context.setDefaultTimeout(10_000)
      context.on('console', (message) => {
        if (/Content[- ]Security[- ]Policy/i.test(message.text()))
          violations.push(`${message.location().url}: ${message.text()}`)
      })
      contexts.push(context)
      return { context, page: await context.newPage() }
    },
    async screenshot(page, name) {
      await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true })
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {})
      await browser.close()
      // No key, signature or token in any log line the BFF wrote during the scenario.
      const leaks = secretsInLogs(logs.lines, sandbox, [bff.merchantApiSecret])
      await bff.close()
      await sandbox.close()
      data.remove()
      if (violations.length > 0)
        throw new Error(`The shop's CSP blocked something:\n${violations.join('\n')}`)
      if (leaks.length > 0)
        throw new Error(
          `Secrets reached the log:\n${leaks.map((l) => `${l.what}: ${l.line.slice(0, 300)}`).join('\n')}`,
        )
    },
  }
}

/**
 * Waits until the browser has left the shop for Alipay's login page, and answers its login button.
 * (The shop's own pages have 登录 buttons too: looking for one before the page changed is a race.)
 */
export async function alipayLoginButton(page: Page) {
  await page.waitForURL(/\/login\?/)
  return page.getByRole('button', { name: /登录/ })
}

/** Logs in on the simulator's login page (as one of its buyers), with the right or a wrong password. */
export async function logInAtAlipay(
  page: Page,
  buyer: '张三' | '李四' | '王芳' = '张三',
  password = '111111',
) {
  const login = await alipayLoginButton(page)
  await page.getByRole('radio', { name: new RegExp(buyer) }).check()
  await page.getByLabel(/登录密码/).fill(password)
  await login.click()
}

/** Pays on the simulator's cashier (choosing escrow or instant on the dual interface). */
export async function payAtCashier(page: Page, choice?: 'escrow' | 'instant') {
  await page.waitForURL(/\/cashier\//)
  if (choice) await page.getByLabel(choice === 'escrow' ? /担保交易/ : /即时到账/).check()
  await page.getByRole('button', { name: /确认付款/ }).click()
  await page.getByText('付款成功').first().waitFor()
}

/** Back from the cashier to the shop's result page; answers the order's id once the page shows paid. */
export async function backToShopPaid(page: Page): Promise<string> {
  await page.getByRole('link', { name: /返回商户/ }).click()
  await page.waitForURL(/\/orders\//)
  const id = orderIdOf(page)
  await page.locator('.result-phase', { hasText: '付款成功' }).waitFor()
  return id
}

/** Signs in on the shop's merchant page with the merchant API secret. */
export async function enterMerchantPage(page: Page, shop: Shop): Promise<void> {
  await page.goto(`${shop.url}/merchant`)
  await page.getByLabel(/商户 API 密钥/).fill(shop.bff.merchantApiSecret)
  await page.getByRole('button', { name: '进入' }).click()
}

/** The order id of the shop's result page the browser is on. */
export function orderIdOf(page: Page): string {
  const id = /\/orders\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1]
  if (!id) throw new Error(`not on a result page: ${page.url()}`)
  return id
}

/** Fills the checkout's delivery address by hand (Shanghai, Pudong), as a buyer would. */
export async function fillAddress(page: Page): Promise<void> {
  await page.getByLabel('收货人').fill('李四')
  await page.getByLabel('手机号码').fill('13800000002')
  await page.getByLabel('省份').selectOption('31')
  await page.getByLabel('城市').selectOption('3101')
  await page.getByLabel('区县').selectOption('310115')
  await page.getByLabel('详细地址').fill('世纪大道 200 号')
}
