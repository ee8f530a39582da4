import type { Locale, OrderView, RegionPart } from '@alipay-kit/client'
import type { Texts } from './texts.js'

/** What the buyer does or waits for next, where the phase alone does not say it. */
export function nextStep(order: OrderView, t: Texts): string | null {
  if (order.phase === 'paid' && order.mode === 'escrow' && !order.shipped)
    return t.nextSteps.awaitShipment
  if (order.phase === 'shipped') return t.nextSteps.confirmReceipt
  return null
}

/** When the order was placed, in China time (the shop's), e.g. 2026/12/2 13:05. */
export function placedAt(order: OrderView, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(new Date(order.createdAt))
}

/**
 * The delivery address on one line, or null when nothing ships: in Chinese as a courier writes it
 * (largest first), or, given the regions' English names, in English order (street first).
 */
export function addressLine(
  order: OrderView,
  english?: ReadonlyMap<string, string>,
): string | null {
  const a = order.address
  if (!a) return null
  const placeholder = a.city.name === '市辖区' || a.city.name === '县'
  if (!english) {
    return `${a.recipient} · ${a.province.name}${placeholder ? '' : a.city.name}${a.district.name}${a.street}`
  }
  const name = (part: RegionPart) => (part.code && english.get(part.code)) || part.name
  const regions = [a.district, ...(placeholder ? [] : [a.city]), a.province]
    .filter((part) => part.name !== '')
    .map(name)
  return `${a.recipient} · ${[a.street, ...regions].join(', ')}`
}
