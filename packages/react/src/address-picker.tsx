'use client'
import { QUERY_KEYS, type RegionPart } from '@alipay-kit/client'
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import {
  type AddressErrors,
  type AddressField,
  type AddressValue,
  EMPTY_ADDRESS,
  fromAddressView,
  regionLabel,
  validateAddress,
} from './address-value.js'
import { AlipayMark } from './artwork.js'
import { currentPage } from './current-page.js'
import { useAlipayKit } from './provider.js'
import { type Division, searchRegions, useRegions } from './regions.js'
import { useAlipaySession } from './session.js'
import { useLatest } from './use-latest.js'

export interface AddressPickerProps {
  /** Controlled value (with onChange). */
  readonly value?: AddressValue
  /** Uncontrolled starting value. */
  readonly defaultValue?: AddressValue
  /** Every change, with the field errors of the new value (empty when it is complete). */
  readonly onChange?: (value: AddressValue, errors: AddressErrors) => void
  /** Show every error now (e.g. after a submit attempt), not only for fields the buyer has left. */
  readonly showAllErrors?: boolean
  /** Where Alipay's address book sends the buyer back; default: this page. */
  readonly returnTo?: string
  /** Hide "use my Alipay address" (e.g. a shop without quick login). */
  readonly hideAlipayButton?: boolean
  readonly disabled?: boolean
  readonly className?: string
  /** Extra content under the fields. */
  readonly children?: ReactNode
}

const SELECTED_QUERY_KEY = QUERY_KEYS.selectedAddress

function part(division: Division | undefined): RegionPart {
  return division ? { name: division.name, code: division.code } : { name: '', code: null }
}

/** Did the buyer just come back from Alipay's address book (the BFF adds ?alipay_address=selected)? */
function cameBackFromAlipay(): boolean {
  return (
    typeof window !== 'undefined' &&
    new URLSearchParams(window.location.search).get('alipay_address') === 'selected'
  )
}

/**
 * A delivery address form: "使用我在支付宝的联系方式" fills it from the buyer's Alipay address book
 * (quick login), or the buyer types it with a province / city / district cascader over the
 * national division data (loaded lazily, searchable by name). The value carries names and
 * division codes. Controlled (`value` + `onChange`) or not (`defaultValue`).
 *
 * @example
 * const [address, setAddress] = useState(EMPTY_ADDRESS)
 * <AlipayAddressPicker value={address} onChange={setAddress} />
 */
export function AlipayAddressPicker(props: AddressPickerProps) {
  const { client, locale, messages, navigator } = useAlipayKit('AlipayAddressPicker')
  const { session } = useAlipaySession()
  const { tree, english, error: regionsError } = useRegions(locale)
  const id = useId()
  const latest = useLatest(props)
  const [own, setOwn] = useState<AddressValue>(props.defaultValue ?? EMPTY_ADDRESS)
  const value = props.value ?? own
  const [touched, setTouched] = useState<Partial<Record<AddressField, boolean>>>({})
  const [search, setSearch] = useState('')
  const [applied, setApplied] = useState(false)
  const appliedOnce = useRef(false)

  const cities = tree && value.province.code ? (tree.cities.get(value.province.code) ?? []) : []
  const districts = tree && value.city.code ? (tree.counties.get(value.city.code) ?? []) : []
  const districtRequired = districts.length > 0
  const errors = validateAddress(value, messages, { districtRequired })

  const change = (next: AddressValue) => {
    if (latest.current.value === undefined) setOwn(next)
    latest.current.onChange?.(next, validateAddress(next, messages, { districtRequired: true }))
  }
  const set = (field: 'recipient' | 'phone' | 'street' | 'postcode', text: string) =>
    change({ ...value, [field]: text, source: 'manual' })

  // The address the buyer chose at Alipay, if any: applied once, when just back from Alipay or
  // when the form is still empty.
  const selected = useQuery({
    queryKey: SELECTED_QUERY_KEY,
    queryFn: () => client.selectedAddress(),
    staleTime: 60_000,
    enabled: !props.hideAlipayButton,
  })
  // `change` and `own` are read fresh through refs and state; applying once is the point.
  // biome-ignore lint/correctness/useExhaustiveDependencies: applied once per chosen address
  useEffect(() => {
    const chosen = selected.data
    if (!chosen || appliedOnce.current) return
    const current = latest.current.value ?? own
    const empty = current.recipient === '' && current.street === '' && current.province.name === ''
    if (!cameBackFromAlipay() && !empty) return
    appliedOnce.current = true
    setApplied(true)
    change(fromAddressView(chosen))
  }, [selected.data])

  const quickLogin = session?.user?.via === 'quick_login'
  const show = (field: AddressField) => (props.showAllErrors || touched[field]) && errors[field]
  const touch = (field: AddressField) => () => setTouched((t) => ({ ...t, [field]: true }))
  const describedBy = (field: AddressField) => (show(field) ? `${id}-${field}-error` : undefined)
  const errorText = (field: AddressField) =>
    show(field) ? (
      <span className="akit-field-error" id={`${id}-${field}-error`}>
        {errors[field]}
      </span>
    ) : null

  const textField = (
    field: 'recipient' | 'phone' | 'street' | 'postcode',
    label: string,
    extra: object = {},
  ) => (
    <div className={`akit-field akit-field-${field}`}>
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <input
        id={`${id}-${field}`}
        name={field}
        value={value[field]}
        disabled={props.disabled}
        aria-invalid={show(field) ? true : undefined}
        aria-describedby={describedBy(field)}
        onChange={(event) => set(field, event.target.value)}
        onBlur={touch(field)}
        {...extra}
      />
      {errorText(field)}
    </div>
  )

  const regionSelect = (
    field: 'province' | 'city' | 'district',
    label: string,
    options: readonly Division[],
    onPick: (division: Division | undefined) => void,
  ) => (
    <div className={`akit-field akit-field-${field}`}>
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <select
        id={`${id}-${field}`}
        name={field}
        value={value[field].code ?? ''}
        disabled={props.disabled || !tree || (field !== 'province' && options.length === 0)}
        aria-invalid={show(field) ? true : undefined}
        aria-describedby={describedBy(field)}
        onChange={(event) => onPick(options.find((d) => d.code === event.target.value))}
        onBlur={touch(field)}
      >
        <option value="">{tree ? messages.chooseOne : messages.loadingRegions}</option>
        {/* A name that matched no division (or before the data loads) stays visible as it is. */}
        {value[field].name && !options.some((d) => d.code === value[field].code) ? (
          <option value={value[field].code ?? ''}>{value[field].name}</option>
        ) : null}
        {options.map((division) => (
          <option key={division.code} value={division.code}>
            {regionLabel(division, value.province, locale, english)}
          </option>
        ))}
      </select>
      {errorText(field)}
    </div>
  )

  const hits = tree && search.trim() ? searchRegions(tree, search, 8, english) : []

  return (
    <fieldset className={`akit-address ${props.className ?? ''}`.trim()} disabled={props.disabled}>
      {props.hideAlipayButton ? null : (
        <div className="akit-address-alipay">
          <button
            type="button"
            className="akit-button akit-outline akit-small"
            onClick={() =>
              navigator.assign(client.addressSelectUrl(props.returnTo ?? currentPage()))
            }
          >
            <AlipayMark size={18} />
            <span className="akit-label">
              {quickLogin ? messages.useAlipayAddress : messages.useAlipayAddressNeedsLogin}
            </span>
          </button>
          <span className="akit-address-note" role="status" aria-live="polite">
            {applied ? messages.alipayAddressApplied : ''}
          </span>
        </div>
      )}
      {textField('recipient', messages.recipient, { autoComplete: 'name' })}
      {textField('phone', messages.phone, { autoComplete: 'tel', inputMode: 'tel' })}
      <div className="akit-field akit-field-search">
        <label htmlFor={`${id}-search`}>{messages.regionSearch}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          placeholder={messages.regionSearchHint}
          disabled={props.disabled || !tree}
          aria-controls={`${id}-hits`}
          onChange={(event) => setSearch(event.target.value)}
        />
        <ul className="akit-region-hits" id={`${id}-hits`} aria-label={messages.regionSearch}>
          {hits.map((hit) => (
            <li key={(hit.district ?? hit.city).code}>
              <button
                type="button"
                className="akit-link"
                onClick={() => {
                  change({
                    ...value,
                    province: part(hit.province),
                    city: part(hit.city),
                    district: part(hit.district),
                    source: 'manual',
                  })
                  setSearch('')
                }}
              >
                {[
                  regionLabel(hit.province, hit.province, locale, english),
                  regionLabel(hit.city, hit.province, locale, english),
                  hit.district && regionLabel(hit.district, hit.province, locale, english),
                ]
                  .filter(Boolean)
                  .join(' / ')}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div className="akit-region-row">
        {regionSelect('province', messages.province, tree?.provinces ?? [], (division) =>
          change({
            ...value,
            province: part(division),
            city: part(undefined),
            district: part(undefined),
            source: 'manual',
          }),
        )}
        {regionSelect('city', messages.city, cities, (division) =>
          change({ ...value, city: part(division), district: part(undefined), source: 'manual' }),
        )}
        {regionSelect('district', messages.district, districts, (division) =>
          change({ ...value, district: part(division), source: 'manual' }),
        )}
      </div>
      {regionsError ? (
        <p className="akit-error" role="alert">
          {messages.loadingRegions} {regionsError.message}
        </p>
      ) : null}
      {textField('street', messages.street, { autoComplete: 'street-address' })}
      {textField('postcode', messages.postcode, {
        autoComplete: 'postal-code',
        inputMode: 'numeric',
      })}
      {props.children}
    </fieldset>
  )
}
