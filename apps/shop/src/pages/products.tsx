import { useCatalog } from '../catalog.js'
import { ProductArt } from '../product-art.js'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

export function ProductsPage() {
  const { t } = useSettings()
  const catalog = useCatalog()
  return (
    <section>
      <h1>{t.products}</h1>
      <p className="muted">{t.tagline}</p>
      {catalog.isLoading ? <p aria-busy="true">…</p> : null}
      <ul className="grid">
        {catalog.data?.map((product) => (
          <li key={product.sku} className="card">
            <Link href={`/products/${product.sku}`}>
              <ProductArt image={product.image} name={product.name} />
              <span className="card-name">{product.name}</span>
            </Link>
            <span className="price">¥{product.price}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
