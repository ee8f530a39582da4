import { AlipayLoginButton, AlipayProvider, AlipayUserBadge } from '@alipay-kit/react'
import { CartProvider, useCart } from './cart.js'
import { CartPage } from './pages/cart.js'
import { CheckoutPage } from './pages/checkout.js'
import { MerchantPage } from './pages/merchant.js'
import { OrdersPage } from './pages/orders.js'
import { ProductPage } from './pages/product.js'
import { ProductsPage } from './pages/products.js'
import { ResultPage } from './pages/result.js'
import { ScanPage } from './pages/scan.js'
import { Link, useLocation } from './router.js'
import { SettingsPanel, SettingsProvider, useSettings } from './settings.js'

function Page() {
  const { path } = useLocation()
  const product = /^\/products\/([\w.-]+)$/.exec(path)
  const order = /^\/orders\/([A-Za-z0-9_-]+)$/.exec(path)
  const scan = /^\/orders\/([A-Za-z0-9_-]+)\/scan$/.exec(path)
  if (product) return <ProductPage sku={product[1] as string} />
  if (order) return <ResultPage id={order[1] as string} />
  if (scan) return <ScanPage id={scan[1] as string} />
  if (path === '/cart') return <CartPage />
  if (path === '/checkout') return <CheckoutPage />
  if (path === '/orders') return <OrdersPage />
  if (path === '/merchant') return <MerchantPage />
  return <ProductsPage />
}

function Header() {
  const { t } = useSettings()
  const { items } = useCart()
  const count = items.reduce((sum, item) => sum + item.quantity, 0)
  const { query } = useLocation()
  return (
    <header className="site">
      <Link href="/" className="brand">
        {t.shopName}
      </Link>
      <nav aria-label={t.shopName}>
        <Link href="/">{t.products}</Link>
        <Link href="/cart">
          {t.cart} ({count})
        </Link>
        <Link href="/orders">{t.orders}</Link>
        <Link href="/merchant">{t.merchant}</Link>
      </nav>
      <div className="member">
        {/* Log in first, then buy: back to this very page after Alipay (docs/protocol.md, "Quick login"). */}
        <AlipayUserBadge fallback={<AlipayLoginButton size="small" />} />
      </div>
      {query.get('alipay_login') === 'failed' ? (
        <p role="alert" className="error banner">
          {t.loginFailed}
        </p>
      ) : null}
    </header>
  )
}

function Shop() {
  const { settings } = useSettings()
  return (
    <AlipayProvider locale={settings.locale}>
      <CartProvider>
        <Header />
        <main>
          <Page />
        </main>
        <footer className="site">
          <SettingsPanel />
          <p className="muted">alipay-kit demo · 本地支付宝模拟器 · no real money moves</p>
        </footer>
      </CartProvider>
    </AlipayProvider>
  )
}

export function App() {
  return (
    <SettingsProvider>
      <Shop />
    </SettingsProvider>
  )
}
