import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { AlipayPayButton } from './pay-button.js'
import { anonymous, handlers } from './stories/bff-mock.js'

const meta: Meta<typeof AlipayPayButton> = {
  title: 'Buttons/AlipayPayButton',
  component: AlipayPayButton,
  args: { items: [{ sku: 'longjing-250g', quantity: 1 }], service: 'page' },
  parameters: { msw: [handlers.session(anonymous), handlers.created] },
}
export default meta
type Story = StoryObj<typeof AlipayPayButton>

export const Default: Story = {
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button', { name: '支付宝付款' }))
    await waitFor(() =>
      expect(window.__alipayKitVisits).toEqual([
        { kind: 'post', target: 'https://openapi.alipay.com/gateway.do?charset=utf-8' },
      ]),
    )
  },
}

export const Loading: Story = {
  parameters: { msw: [handlers.creating] },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button')
    await userEvent.click(button)
    await waitFor(() => expect(button).toHaveAttribute('aria-busy', 'true'))
    await expect(button).toBeDisabled()
    await expect(button).toHaveTextContent('正在前往支付宝…')
  },
}

export const Disabled: Story = { args: { disabled: true } }
/** Disabled with its reason beside it, read with the button (a disabled button gets no clicks). */
export const DisabledWithReason: Story = {
  args: { disabled: true, disabledReason: '请先填好收货地址：还缺 手机号码、详细地址' },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button')
    await expect(button).toBeDisabled()
    await expect(button).toHaveAccessibleDescription('请先填好收货地址：还缺 手机号码、详细地址')
    await expect(within(canvasElement).getByText(/还缺 手机号码/)).toBeVisible()
  },
}
export const Outline: Story = { args: { variant: 'outline', size: 'large' } }
export const Small: Story = { args: { size: 'small' } }

export const WapByUrl: Story = {
  args: { service: 'wap' },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole('button'))
    await waitFor(() => expect(window.__alipayKitVisits?.[0]?.kind).toBe('assign'))
  },
}

export const WithError: Story = {
  parameters: { msw: [handlers.pricingError] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button'))
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      '商品或数量有误：刷新商品列表后重新下单',
    )
    await expect(canvas.getByRole('button')).toBeEnabled()
  },
}

export const ErrorInEnglish: Story = {
  parameters: { msw: [handlers.pricingError], locale: 'en' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.click(canvas.getByRole('button', { name: 'Pay with Alipay' }))
    await expect(await canvas.findByRole('alert')).toHaveTextContent(
      'An item or quantity is not available',
    )
  },
}
