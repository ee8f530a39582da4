import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, within } from 'storybook/test'
import { AlipayLoginButton } from './login-button.js'
import { anonymous, handlers } from './stories/bff-mock.js'

const meta: Meta<typeof AlipayLoginButton> = {
  title: 'Buttons/AlipayLoginButton',
  component: AlipayLoginButton,
  parameters: { msw: [handlers.session(anonymous)] },
}
export default meta
type Story = StoryObj<typeof AlipayLoginButton>

export const Medium: Story = {
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button', { name: '用支付宝登录' })
    await userEvent.click(button)
    await expect(window.__alipayKitVisits?.[0]?.target).toMatch(/^\/api\/login\?returnTo=/)
  },
}
export const Small: Story = { args: { size: 'small' } }
export const Large: Story = { args: { size: 'large' } }
export const Vertical: Story = { args: { orientation: 'vertical', size: 'large' } }
export const AtCheckout: Story = {
  args: { returnTo: '/checkout' },
  play: async ({ canvasElement }) => {
    const button = within(canvasElement).getByRole('button')
    button.focus()
    await userEvent.keyboard('{Enter}')
    await expect(window.__alipayKitVisits?.[0]?.target).toBe('/api/login?returnTo=%2Fcheckout')
  },
}
export const Disabled: Story = { args: { disabled: true } }
export const English: Story = {
  parameters: { locale: 'en' },
  play: async ({ canvasElement }) => {
    await expect(
      within(canvasElement).getByRole('button', { name: 'Log in with Alipay' }),
    ).toBeVisible()
  },
}
