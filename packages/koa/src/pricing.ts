import type { OrderItemInput, OrderLine, PayService } from '@alipay-kit/client'
import { formatYuan, MAX_TRADE_FEN, parseYuan } from '@alipay-kit/core'

/** An order priced by the merchant: what the buyer pays is computed here, never taken from the client. */
export interface PricedOrder {
  /** What Alipay shows the buyer (subject, at most 256 characters). */
  readonly subject: string
  readonly lines: readonly OrderLine[]
  /** The total in fen. */
  readonly totalFen: number
  /**
   * Whether any of the goods is shipped: then an order through a service that ships by its items
   * (instant, page, wap, qr) needs a delivery address. Undefined or false: the kit requires none.
   */
  readonly ships?: boolean
}

export interface PricingContext {
  readonly service: PayService
  /** The logged-in member's Alipay user id, if any. */
  readonly userId: string | undefined
}

/** The merchant's catalog: prices items, or throws a {@link PricingError} naming what is wrong. */
export type Pricing = (
  items: readonly OrderItemInput[],
  context: PricingContext,
) => PricedOrder | Promise<PricedOrder>

/** Thrown by a pricing function for an unknown item, a sold-out one, or a quantity it will not sell. */
export class PricingError extends Error {
  override readonly name = 'PricingError'
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

export interface CatalogProduct {
  readonly sku: string
  readonly name: string
  /** Unit price in yuan, as a string: "128.00". */
  readonly price: string
  /**
   * True for goods you ship: an order with any of them through a service that ships by its items
   * (instant, page, wap, qr) is refused without a delivery address (ADDRESS_REQUIRED). Default
   * false: virtual goods, courses, donations.
   */
  readonly ships?: boolean
}

/**
 * A pricing function over a fixed product list.
 *
 * @example
 * const pricing = catalogPricing([
 *   { sku: 'tea-1', name: '龙井茶', price: '128.00', ships: true },
 *   { sku: 'class-1', name: '线上茶艺课', price: '99.00' },
 * ])
 */
export function catalogPricing(products: readonly CatalogProduct[]): Pricing {
  const bySku = new Map(
    products.map((product) => [
      product.sku,
      { ...product, fen: parseYuan(product.price, `price of ${product.sku}`) },
    ]),
  )
  return (items) => {
    const lines: OrderLine[] = []
    let totalFen = 0
    let ships = false
    items.forEach((item, index) => {
      const product = bySku.get(item.sku)
      if (!product) throw new PricingError(`items.${index}.sku`, `Unknown product "${item.sku}"`)
      totalFen += product.fen * item.quantity
      if (product.ships === true) ships = true
      lines.push({
        sku: item.sku,
        name: product.name,
        quantity: item.quantity,
        price: formatYuan(product.fen),
      })
    })
    if (totalFen > MAX_TRADE_FEN)
      throw new PricingError(
        'items',
        'The total exceeds what one Alipay trade may carry (100,000,000.00 yuan)',
      )
    const first = lines[0]
    const subject =
      lines.length === 1 && first
        ? `${first.name} ×${first.quantity}`
        : `${first?.name ?? ''} 等${lines.length}件商品`
    return { subject: subject.slice(0, 256), lines, totalFen, ships }
  }
}
