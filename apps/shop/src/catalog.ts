import { useQuery } from '@tanstack/react-query'

/** A product as the BFF's /api/catalog lists it (the prices orders are made from). */
export interface Product {
  readonly sku: string
  readonly name: string
  readonly price: string
  readonly description: string
  readonly image: string
  /** Shipped goods need a delivery address whatever the service. */
  readonly ships: boolean
}

export function useCatalog() {
  return useQuery({
    queryKey: ['catalog'],
    queryFn: async () => {
      const response = await fetch('/api/catalog')
      if (!response.ok) throw new Error(`catalog: HTTP ${response.status}`)
      return ((await response.json()) as { products: Product[] }).products
    },
    staleTime: 60_000,
  })
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
