import { PAY_SERVICES } from '@alipay-kit/client'
import {
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
import { Link, navigate } from '../router.js'
import { useSettings } from '../settings.js'
import { rememberQr } from '../stored-qr.js'

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
  const [method, setMethod] = useState<'alipay' | 'bank'>('alipay')
  const [tried, setTried] = useState(false)
  const service = settings.service
  // Goods that ship need an address whatever the service; virtual goods and donations none.
  const shipping = PAY_SERVICES[service].shipping
  const cartShips = cart.items.some(
    (item) => products.find((p) => p.sku === item.sku)?.ships !== false,
  )
  const needsAddress = shipping === 'always' || (shipping === 'by-items' && cartShips)
  const missing = validateAddress(address, MESSAGES[settings.locale], { districtRequired: true })
  const addressValid = Object.keys(missing).length === 0
  // Once the buyer has started on the address (or tried to pay), every missing field is marked.
  const started = tried || JSON.stringify(address) !== JSON.stringify(EMPTY_ADDRESS)
  const alipayOnly = session?.alipayOnly === true
  const disabledReason =
    method !== 'alipay'
      ? t.bankNotice
      : t.fillAddressFirst(
          (Object.keys(missing) as Array<keyof typeof missing>).map(
            (field) => MESSAGES[settings.locale][field],
          ),
        )
  const done = () => {
    cart.clear()
    window.sessionStorage.removeItem(ADDRESS_KEY)
  }

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
      {needsAddress ? (
        <AlipayAddressPicker
          value={address}
          showAllErrors={started}
          onChange={(next) => {
            setAddress(next)
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

      <div
        className="pay"
        onClickCapture={() => setTried(true)}
        onKeyDownCapture={() => setTried(true)}
      >
        <AlipayPayButton
          size="large"
          items={cart.items}
          service={service}
          {...(needsAddress && addressValid ? { address: toAddressInput(address) } : {})}
          disabled={method !== 'alipay' || (needsAddress && !addressValid)}
          disabledReason={disabledReason}
          onCreated={(result) => {
            done()
            // A QR code is shown on the shop's scan page (the cashier services leave for Alipay).
            if (result.payment.kind === 'qr') {
              rememberQr(result.order.id, { qr: result.payment, amount: result.order.amount })
              navigate(`/orders/${result.order.id}/scan`)
            }
          }}
        >
          {service === 'qr' ? t.payByQr : undefined}
        </AlipayPayButton>
      </div>
    </section>
  )
}
