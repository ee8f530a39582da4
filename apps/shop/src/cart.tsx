import { useAlipayKit } from '@alipay-kit/react'
import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from 'react'

export interface CartItem {
  readonly sku: string
  readonly quantity: number
}

const KEY = 'tea-house:cart'

const Context = createContext<
  | {
      items: readonly CartItem[]
      add(sku: string, quantity?: number): void
      setQuantity(sku: string, quantity: number): void
      clear(): void
    }
  | undefined
>(undefined)

/**
 * The cart: kept in this browser (localStorage) and in the BFF's session, so that it survives
 * logging in with Alipay (the BFF carries it into the new session) and a page reload.
 */
export function CartProvider({ children }: { children: ReactNode }) {
  const { client } = useAlipayKit()
  const [items, setItems] = useState<CartItem[]>(() => {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) ?? '[]') as CartItem[]
    } catch {
      return []
    }
  })
  const loaded = useRef(false)

  // On start, the server's cart wins when this browser has none (a new tab after login).
  useEffect(() => {
    client
      .cart()
      .then(({ items: server }) => {
        loaded.current = true
        setItems((local) => (local.length === 0 && server.length > 0 ? [...server] : local))
      })
      .catch(() => {
        loaded.current = true
      })
  }, [client])

  useEffect(() => {
    window.localStorage.setItem(KEY, JSON.stringify(items))
    if (loaded.current) client.saveCart(items).catch(() => {})
  }, [items, client])

  const value = {
    items,
    add: (sku: string, quantity = 1) =>
      setItems((current) => {
        const found = current.find((item) => item.sku === sku)
        return found
          ? current.map((item) =>
              item.sku === sku ? { sku, quantity: Math.min(item.quantity + quantity, 99) } : item,
            )
          : [...current, { sku, quantity }]
      }),
    setQuantity: (sku: string, quantity: number) =>
      setItems((current) =>
        quantity <= 0
          ? current.filter((item) => item.sku !== sku)
          : current.map((item) =>
              item.sku === sku ? { sku, quantity: Math.min(quantity, 99) } : item,
            ),
      ),
    clear: () => setItems([]),
  }
  return <Context.Provider value={value}>{children}</Context.Provider>
}

export function useCart() {
  const value = useContext(Context)
  if (!value) throw new Error('useCart needs <CartProvider>')
  return value
}
