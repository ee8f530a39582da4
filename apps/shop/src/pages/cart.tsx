import { useCart } from '../cart.js'
import { fenOf, useCatalog, yuan } from '../catalog.js'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

export function CartPage() {
  const { t } = useSettings()
  const cart = useCart()
  const products = useCatalog().data ?? []
  const lines = cart.items.map((item) => ({
    item,
    product: products.find((p) => p.sku === item.sku),
  }))
  const total = lines.reduce(
    (sum, { item, product }) => sum + (product ? fenOf(product.price, item.quantity) : 0),
    0,
  )
  if (cart.items.length === 0)
    return (
      <section>
        <h1>{t.cart}</h1>
        <p>{t.emptyCart}</p>
        <Link href="/">{t.continueShopping}</Link>
      </section>
    )
  return (
    <section>
      <h1>{t.cart}</h1>
      <table className="lines">
        <thead>
          <tr>
            <th scope="col">{t.products}</th>
            <th scope="col">{t.quantity}</th>
            <th scope="col">{t.price}</th>
            <th scope="col">
              <span className="visually-hidden">{t.remove}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map(({ item, product }) => (
            <tr key={item.sku} data-sku={item.sku}>
              <td>{product?.name ?? item.sku}</td>
              <td>
                <input
                  type="number"
                  min={1}
                  max={99}
                  aria-label={`${t.quantity} ${product?.name ?? item.sku}`}
                  value={item.quantity}
                  onChange={(event) => cart.setQuantity(item.sku, Number(event.target.value))}
                />
              </td>
              <td>¥{product ? yuan(fenOf(product.price, item.quantity)) : '—'}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => cart.setQuantity(item.sku, 0)}
                >
                  {t.remove}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="total">
        {t.total} <strong>¥{yuan(total)}</strong>
      </p>
      <div className="actions">
        <Link className="button" href="/checkout">
          {t.checkout}
        </Link>
        <Link href="/">{t.continueShopping}</Link>
      </div>
    </section>
  )
}
