import { useState } from 'react'
import { useCart } from '../cart.js'
import { useCatalog } from '../catalog.js'
import { ProductArt } from '../product-art.js'
import { navigate } from '../router.js'
import { useSettings } from '../settings.js'

export function ProductPage({ sku }: { sku: string }) {
  const { t } = useSettings()
  const cart = useCart()
  const product = useCatalog().data?.find((item) => item.sku === sku)
  const [added, setAdded] = useState(false)
  if (!product) return <p aria-busy="true">…</p>
  return (
    <section className="product">
      <ProductArt image={product.image} name={product.name} />
      <div>
        <h1>{product.name}</h1>
        <p>{product.description}</p>
        <p className="price">
          {t.price} ¥{product.price}
        </p>
        <div className="actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              cart.add(product.sku)
              setAdded(true)
            }}
          >
            {t.addToCart}
          </button>
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              cart.add(product.sku)
              navigate('/cart')
            }}
          >
            {t.buyNow}
          </button>
        </div>
        <p role="status" className="ok">
          {added ? t.added : ''}
        </p>
      </div>
    </section>
  )
}
