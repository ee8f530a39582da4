import type { Meta, StoryObj } from '@storybook/react-vite'
import jsQRModule from 'jsqr'
import { expect, waitFor, within } from 'storybook/test'
import { MESSAGES } from './messages.js'
import { AlipayQrCode } from './qr-code.js'
import { handlers, ORDER_ID, orderIn } from './stories/bff-mock.js'

// jsqr is CommonJS typed as an ES module: the bundler hands over the function, TypeScript `default`.
const jsQR = (
  typeof jsQRModule === 'function' ? jsQRModule : jsQRModule.default
) as typeof jsQRModule.default

const CODE = 'https://qr.alipay.com/bax08431ngyrl4t5zwx0005e'
const NEW_CODE = 'https://qr.alipay.com/bax09912storybook0refreshed'
const inMinutes = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString()
const waiting = orderIn('waiting', { service: 'qr', gateway: 'open', mode: 'instant' })

const meta: Meta<typeof AlipayQrCode> = {
  title: 'Status/AlipayQrCode',
  component: AlipayQrCode,
  args: {
    orderId: ORDER_ID,
    accessToken: 'storybook-access-token-0000000000',
    amount: '168.00',
    qr: { kind: 'qr', qrCode: CODE, expiresAt: inMinutes(2) },
  },
}
export default meta
type Story = StoryObj<typeof AlipayQrCode>

/**
 * Reads the drawn code back as a scanner would: the SVG rasterised on a canvas, decoded by jsQR.
 * Proves the code on screen is real, not just a URL in the DOM.
 */
async function scan(svg: SVGSVGElement): Promise<string | undefined> {
  const side = 300
  const image = new Image(side, side)
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = side
  canvas.height = side
  const context = canvas.getContext('2d') as CanvasRenderingContext2D
  context.drawImage(image, 0, 0, side, side)
  const pixels = context.getImageData(0, 0, side, side)
  return jsQR(pixels.data, side, side)?.data
}

async function drawnCode(canvasElement: HTMLElement, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const svg = await within(canvasElement).findByRole('img', {
    name: MESSAGES[locale].qrAlt('168.00'),
  })
  return svg as unknown as SVGSVGElement
}

/** Waiting for the scan: the code (decodable), the amount, the countdown, the link for phones. */
export const Waiting: Story = {
  parameters: { msw: [handlers.order(waiting), handlers.noEvents] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await scan(await drawnCode(canvasElement))).toBe(CODE)
    await expect(canvas.getByText('¥168.00')).toBeVisible()
    await expect(canvas.getByText('打开支付宝 App，扫一扫付款')).toBeVisible()
    await expect(canvas.getByText(/^二维码 [12]:\d\d 后失效$/)).toBeVisible()
    await expect(canvas.getByRole('link', { name: '在手机上打开支付宝' })).toHaveAttribute(
      'href',
      CODE,
    )
  },
}

export const InEnglish: Story = {
  parameters: { msw: [handlers.order(waiting), handlers.noEvents], locale: 'en' },
  play: async ({ canvasElement }) => {
    await expect(await scan(await drawnCode(canvasElement, 'en'))).toBe(CODE)
    await expect(within(canvasElement).getByText(/^The code expires in [12]:\d\d$/)).toBeVisible()
  },
}

/** The code expired: a new one for the same order replaces it by itself, and scans as the new one. */
export const ExpiredThenRefreshed: Story = {
  args: { qr: { kind: 'qr', qrCode: CODE, expiresAt: inMinutes(-1) } },
  parameters: {
    msw: [
      handlers.order(waiting),
      handlers.noEvents,
      handlers.qrRefreshed({ kind: 'qr', qrCode: NEW_CODE, expiresAt: inMinutes(5) }),
    ],
  },
  play: async ({ canvasElement }) => {
    await waitFor(async () => expect(await scan(await drawnCode(canvasElement))).toBe(NEW_CODE))
    await expect(within(canvasElement).getByText(/^二维码 [45]:\d\d 后失效$/)).toBeVisible()
  },
}

/** The refresh was refused (the order ran out of time): said so, with a button to try again. */
export const RefreshRefused: Story = {
  args: { qr: { kind: 'qr', qrCode: CODE, expiresAt: inMinutes(-1) } },
  parameters: { msw: [handlers.order(waiting), handlers.noEvents, handlers.qrRefreshRefused] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('二维码没能刷新，请重试')).toBeVisible()
    await expect(canvas.getByRole('button', { name: '刷新二维码' })).toBeEnabled()
    await expect(canvas.queryByRole('img')).toBeNull()
  },
}

/** Paid (on the phone): the code gives way to the status, announced. */
export const Paid: Story = {
  parameters: {
    msw: [
      handlers.order(orderIn('paid', { service: 'qr', gateway: 'open', mode: 'instant' })),
      handlers.noEvents,
    ],
  },
  play: async ({ canvasElement }) => {
    const status = within(canvasElement).getByRole('status')
    await expect(await within(status).findByText('付款成功')).toBeVisible()
    await expect(within(canvasElement).queryByRole('img')).toBeNull()
  },
}

export const Closed: Story = {
  parameters: {
    msw: [handlers.order(orderIn('closed', { service: 'qr', gateway: 'open' })), handlers.noEvents],
  },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('交易已关闭')).toBeVisible()
    await expect(within(canvasElement).queryByRole('link')).toBeNull()
  },
}
