import type { AddressLines, AddressView, Locale, RegionPart } from '@alipay-kit/client'
import type { Messages } from './messages.js'

/** What the address picker holds: names and national division codes, recipient and street. */
export interface AddressValue extends AddressLines {
  readonly postcode: string
  /** Where it came from (the buyer's Alipay address book, or typed here). */
  readonly source: 'alipay' | 'manual'
}

export type AddressField =
  | 'recipient'
  | 'phone'
  | 'province'
  | 'city'
  | 'district'
  | 'street'
  | 'postcode'
export type AddressErrors = Partial<Record<AddressField, string>>

const NONE: RegionPart = { name: '', code: null }

export const EMPTY_ADDRESS: AddressValue = {
  recipient: '',
  phone: '',
  province: NONE,
  city: NONE,
  district: NONE,
  street: '',
  postcode: '',
  source: 'manual',
}

/** The BFF's view of an Alipay address, as the picker's value. */
export function fromAddressView(view: AddressView): AddressValue {
  return {
    recipient: view.recipient,
    phone: view.phone,
    province: view.province,
    city: view.city,
    district: view.district,
    street: view.street,
    postcode: view.postcode ?? '',
    source: view.source,
  }
}

const MOBILE = /^1\d{10}$/
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/

/** Checks an address; returns the message for each field at fault (empty when valid). */
export function validateAddress(
  value: AddressValue,
  messages: Messages,
  options: { districtRequired: boolean },
): AddressErrors {
  const errors: AddressErrors = {}
  if (value.recipient.trim() === '') errors.recipient = messages.required(messages.recipient)
  const phone = value.phone.replace(/\s/g, '')
  if (phone === '') errors.phone = messages.required(messages.phone)
  else if (!MOBILE.test(phone) && !LANDLINE.test(phone)) errors.phone = messages.badPhone
  if (!value.province.name) errors.province = messages.required(messages.province)
  if (!value.city.name) errors.city = messages.required(messages.city)
  if (options.districtRequired && !value.district.name)
    errors.district = messages.required(messages.district)
  if (value.street.trim() === '') errors.street = messages.required(messages.street)
  if (value.postcode !== '' && !/^\d{6}$/.test(value.postcode))
    errors.postcode = messages.badPostcode
  return errors
}

/** The value as the BFF's order input takes it. */
export function toAddressInput(value: AddressValue) {
  return {
    recipient: value.recipient.trim(),
    phone: value.phone.replace(/\s/g, ''),
    province: value.province,
    city: value.city,
    district: value.district,
    street: value.street.trim(),
    postcode: value.postcode === '' ? null : value.postcode,
  }
}

/**
 * A region's name for people: in English when English names are given (the division's code looked
 * up), and placeholder prefectures (市辖区, 县) read as their province: 北京（市辖区）, Beijing (City
 * districts).
 */
export function regionLabel(
  division: RegionPart,
  province: RegionPart,
  locale: Locale,
  english?: ReadonlyMap<string, string>,
): string {
  const name = (part: RegionPart) => (part.code && english?.get(part.code)) || part.name
  const placeholder =
    division.name === '市辖区' ||
    division.name === '县' ||
    division.name.endsWith('直辖县级行政区划')
  if (!placeholder) return name(division)
  return locale === 'en'
    ? `${name(province)} (${name(division)})`
    : `${name(province)}（${name(division)}）`
}
