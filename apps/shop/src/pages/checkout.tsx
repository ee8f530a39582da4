import { PAY_SERVICES } from '@alipay-kit/client'
import {
  type AddressErrors,
  type AddressValue,
  AlipayAddressPicker,
  AlipayLoginButton,
  AlipayPayButton,
  EMPTY_ADDRESS,
  MESSAGES,
  toAddressInput,
  useAlipaySession,
  validateAddress,
} from '@alipay-kit/react'
import { useState } from 'react'
import { useCart } from '../cart.js'
import { fenOf, useCatalog, yuan } from '../catalog.js'
import { Link } from '../router.js'
import { useSettings } from '../settings.js'

const ADDRESS_KEY = 'tea-house:address'

/** The order form: the first page after logging in at checkout (docs/protocol.md, "Quick login"). */
export function CheckoutPage() {
  const { settings, t } = useSettings()
  const cart = useCart()
  const products = useCatalog().data ?? []
  const { session } = useAlipaySession()
  const [address, setAddress] = useState<AddressValue>(() => {
    try {
      return (
        (JSON.parse(window.sessionStorage.getItem(ADDRESS_KEY) ?? 'null') as AddressValue | null) ??
        EMPTY_ADDRESS
      )
    } catch {
      return EMPTY_ADDRESS
    }
  })
  const [errors, setErrors] = useState<AddressErrors>({})
  const [method, setMethod] = useState<'alipay' | 'bank'>('alipay')
  const [tried, setTried] = useState(false)
  const service = settings.service
  const ships = PAY_SERVICES[service].shipping !== 'never'
  const needsAddress = PAY_SERVICES[service].shipping === 'always'
  const addressValid =
    Object.keys(validateAddress(address, MESSAGES[settings.locale], { districtRequired: true }))
      .length === 0
  const alipayOnly = session?.alipayOnly === true

  if (cart.items.length === 0)
    return (
      <section>
        <h1>{t.checkoutTitle}</h1>
        <p>{t.emptyCart}</p>
        <Link href="/">{t.continueShopping}</Link>
      </section>
    )
  const total = cart.items.reduce((sum, item) => {
    const product = products.find((p) => p.sku === item.sku)
    return sum + (product ? fenOf(product.price, item.quantity) : 0)
  }, 0)

  return (
    <section className="checkout">
      <h1>{t.checkoutTitle}</h1>
      {session && !session.user ? (
        <aside className="login-box">
          <p>{t.loginToCheckout}</p>
          <AlipayLoginButton returnTo="/checkout" />
          <p className="muted">{t.orGuest}</p>
        </aside>
      ) : null}

      <h2>{t.products}</h2>
      <ul className="summary">
        {cart.items.map((item) => {
          const product = products.find((p) => p.sku === item.sku)
          return (
            <li key={item.sku}>
              {product?.name ?? item.sku} × {item.quantity}
            </li>
          )
        })}
      </ul>
      <p className="total">
        {t.total} <strong>¥{yuan(total)}</strong> · {t.services[service]}
      </p>

      <h2>{t.address}</h2>
      {ships ? (
        <AlipayAddressPicker
          value={address}
          showAllErrors={tried}
          onChange={(next, nextErrors) => {
            setAddress(next)
            setErrors(nextErrors)
            window.sessionStorage.setItem(ADDRESS_KEY, JSON.stringify(next))
          }}
        />
      ) : (
        <p className="muted">{t.noAddressNeeded}</p>
      )}

      <h2>{t.paymentMethod}</h2>
      <fieldset className="methods">
        <legend className="visually-hidden">{t.paymentMethod}</legend>
        <label>
          <input
            type="radio"
            name="method"
            checked={method === 'alipay'}
            onChange={() => setMethod('alipay')}
          />{' '}
          {t.alipay}
        </label>
        {alipayOnly ? (
          <p className="muted">{t.alipayOnlyNotice}</p>
        ) : (
          <label>
            <input
              type="radio"
              name="method"
              checked={method === 'bank'}
              onChange={() => setMethod('bank')}
            />{' '}
            {t.bankDemo}
          </label>
        )}
      </fieldset>
      {method === 'bank' && !alipayOnly ? <p role="note">{t.bankNotice}</p> : null}

      <div
        className="pay"
        onClickCapture={() => setTried(true)}
        onKeyDownCapture={() => setTried(true)}
      >
        {needsAddress && !addressValid && tried ? (
          <p role="alert" className="error">
            {t.fillAddressFirst}
            {Object.keys(errors).length > 0 ? `：${Object.values(errors)[0]}` : ''}
          </p>
        ) : null}
        <AlipayPayButton
          size="large"
          items={cart.items}
          service={service}
          {...(ships && addressValid ? { address: toAddressInput(address) } : {})}
          disabled={method !== 'alipay' || (needsAddress && !addressValid)}
          onCreated={() => {
            cart.clear()
            window.sessionStorage.removeItem(ADDRESS_KEY)
          }}
        />
      </div>
    </section>
  )
}
