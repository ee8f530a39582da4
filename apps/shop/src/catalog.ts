import type { Locale, OrderView } from '@alipay-kit/client'
import { useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useSettings } from './settings.js'

/** A product as the BFF's /api/catalog lists it (the prices orders are made from). */
export interface Product {
  readonly sku: string
  /** Chinese: what Alipay shows the buyer. */
  readonly name: string
  readonly price: string
  readonly description: string
  readonly image: string
  /** Shipped goods need a delivery address whatever the service. */
  readonly ships: boolean
  readonly nameEn?: string
  readonly descriptionEn?: string
}

/** The product in the shop's language (English where the catalog has it). */
export function localized(product: Product, locale: Locale): Product {
  if (locale !== 'en') return product
  return {
    ...product,
    name: product.nameEn ?? product.name,
    description: product.descriptionEn ?? product.description,
  }
}

/** The catalog, its names and descriptions in the current language. */
export function useCatalog() {
  const { settings } = useSettings()
  const locale = settings.locale
  return useQuery({
    queryKey: ['catalog'],
    queryFn: async () => {
      const response = await fetch('/api/catalog')
      if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`)
      return ((await response.json()) as { products: Product[] }).products
    },
    select: useCallback(
      (products: Product[]) => products.map((product) => localized(product, locale)),
      [locale],
    ),
    staleTime: 60_000,
  })
}

/**
 * An order's items in the shop's language: the catalog's names by SKU (the order keeps the
 * Chinese names Alipay showed), the order's own where the catalog no longer has the product.
 */
export function itemNames(order: OrderView, products: readonly Product[]): string {
  return order.items
    .map(
      (item) => `${products.find((p) => p.sku === item.sku)?.name ?? item.name} ×${item.quantity}`,
    )
    .join(', ')
}

/** Yuan as a string times a quantity, in fen, without floating point. */
export function fenOf(price: string, quantity = 1): number {
  const [whole = '0', fraction = ''] = price.split('.')
  return (Number(whole) * 100 + Number(fraction.padEnd(2, '0'))) * quantity
}

export function yuan(fen: number): string {
  const text = String(fen).padStart(3, '0')
  return `${text.slice(0, -2)}.${text.slice(-2)}`
}
