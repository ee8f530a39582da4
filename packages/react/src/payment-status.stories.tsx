import type { OrderPhase } from '@alipay-kit/client'
import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, within } from 'storybook/test'
import { MESSAGES } from './messages.js'
import { PaymentStatus } from './payment-status.js'
import { handlers, ORDER_ID, orderIn } from './stories/bff-mock.js'

const meta: Meta<typeof PaymentStatus> = {
  title: 'Status/PaymentStatus',
  component: PaymentStatus,
  args: { orderId: ORDER_ID, accessToken: 'storybook-access-token-0000000000' },
}
export default meta
type Story = StoryObj<typeof PaymentStatus>

/** One story per phase: the status shows its words and announces them (aria-live). */
function phaseStory(phase: OrderPhase, locale: 'zh-CN' | 'en' = 'zh-CN'): Story {
  return {
    parameters: { msw: [handlers.order(orderIn(phase)), handlers.noEvents], locale },
    play: async ({ canvasElement }) => {
      const status = within(canvasElement).getByRole('status')
      await expect(await within(status).findByText(MESSAGES[locale].phases[phase])).toBeVisible()
      await expect(status).toHaveAttribute('aria-live', 'polite')
    },
  }
}

export const Waiting = phaseStory('waiting')
export const Paid = phaseStory('paid')
export const Shipped = phaseStory('shipped')
export const Finished = phaseStory('finished')
export const Closed = phaseStory('closed')
export const RefundRequested = phaseStory('refund_requested')
export const RefundRefused = phaseStory('refund_refused')
export const RefundInProgress = phaseStory('refund_in_progress')
export const Refunded = phaseStory('refunded')
export const HeldForReview = phaseStory('review')
export const PaidInEnglish = phaseStory('paid', 'en')

export const StillConfirming: Story = {
  parameters: {
    msw: [handlers.order(orderIn('waiting', { confirming: true })), handlers.noEvents],
  },
  play: async ({ canvasElement }) => {
    await expect(
      await within(canvasElement).findByText('支付结果确认中，请稍候；无需重复付款'),
    ).toBeVisible()
  },
}

export const CustomRender: Story = {
  parameters: { msw: [handlers.order(orderIn('finished')), handlers.noEvents] },
  args: {
    children: ({ order }) => <strong>{order ? `订单 ${order.id}：${order.phase}` : '…'}</strong>,
  },
  play: async ({ canvasElement }) => {
    await expect(await within(canvasElement).findByText(`订单 ${ORDER_ID}：finished`)).toBeVisible()
  },
}
