import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { AlipayLoginButton } from './login-button.js'
import { AlipayUserBadge } from './session.js'
import { anonymous, handlers, loggedIn } from './stories/bff-mock.js'

const meta: Meta<typeof AlipayUserBadge> = {
  title: 'Session/AlipayUserBadge',
  component: AlipayUserBadge,
  args: { fallback: <AlipayLoginButton size="small" /> },
}
export default meta
type Story = StoryObj<typeof AlipayUserBadge>

export const LoggedIn: Story = {
  parameters: { msw: [handlers.session(loggedIn), handlers.logout] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(await canvas.findByText('你好，支付宝用户张三')).toBeVisible()
    await expect(canvas.getByRole('button', { name: '退出' })).toBeEnabled()
  },
}

export const LoggedInEnglish: Story = {
  parameters: { msw: [handlers.session(loggedIn)], locale: 'en' },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText('Hello, Alipay user 张三')).toBeVisible()
  },
}

export const LoggedOut: Story = {
  parameters: { msw: [handlers.session(anonymous)] },
  play: async ({ canvasElement }) => {
    await expect(
      await within(canvasElement).findByRole('button', { name: '用支付宝登录' }),
    ).toBeVisible()
  },
}
