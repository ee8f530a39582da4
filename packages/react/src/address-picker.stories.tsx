import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { AlipayAddressPicker } from './address-picker.js'
import { alipayAddress, anonymous, handlers, loggedIn } from './stories/bff-mock.js'

const meta: Meta<typeof AlipayAddressPicker> = {
  title: 'Forms/AlipayAddressPicker',
  component: AlipayAddressPicker,
  parameters: { msw: [handlers.session(anonymous), handlers.selectedAddress(null)] },
}
export default meta
type Story = StoryObj<typeof AlipayAddressPicker>

export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const search = canvas.getByRole('searchbox', { name: '搜索地区' })
    await waitFor(() => expect(search).toBeEnabled())
    await userEvent.type(search, '浦东')
    await userEvent.click(
      canvas.getByRole('button', { name: '上海市 / 上海市（市辖区） / 浦东新区' }),
    )
    await expect(canvas.getByLabelText('区县')).toHaveValue('310115')
  },
}

export const FromAlipay: Story = {
  parameters: { msw: [handlers.session(loggedIn), handlers.selectedAddress(alipayAddress)] },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await waitFor(() => expect(canvas.getByLabelText('收货人')).toHaveValue('张三'))
    await expect(canvas.getByLabelText('手机号码')).toHaveValue('13800000001')
    await waitFor(() => expect(canvas.getByLabelText('区县')).toHaveValue('310115'))
    await expect(canvas.getByText('已填入你在支付宝选择的地址')).toBeVisible()
  },
}

export const ValidationErrors: Story = {
  args: { showAllErrors: true },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByText('请填写收货人')).toBeVisible()
    await expect(canvas.getByLabelText('收货人')).toHaveAttribute('aria-invalid', 'true')
  },
}

export const Disabled: Story = { args: { disabled: true } }

export const English: Story = {
  parameters: { locale: 'en' },
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await expect(canvas.getByRole('button', { name: /Use my Alipay address/ })).toBeVisible()
    // The regions in English (their own lazy chunk), the value still in Chinese for Alipay.
    await expect(await canvas.findByRole('option', { name: 'Inner Mongolia' })).toBeInTheDocument()
  },
}
