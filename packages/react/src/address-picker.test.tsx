import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { userEvent } from '@testing-library/user-event'
import { useState } from 'react'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AlipayAddressPicker } from './address-picker.js'
import { type AddressValue, EMPTY_ADDRESS } from './address-value.js'
import { AlipayProvider } from './provider.js'
import {
  countingFetch,
  type Harness,
  recordingNavigator,
  Shopper,
  startHarness,
} from './test-support/bff.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h.close())

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement

/** A form that shows every error once the buyer tried to submit it. */
function SubmitForm({ baseUrl }: { baseUrl: string }) {
  const [tried, setTried] = useState(false)
  return (
    <AlipayProvider baseUrl={baseUrl}>
      <AlipayAddressPicker hideAlipayButton showAllErrors={tried} />
      <button type="button" onClick={() => setTried(true)}>
        提交
      </button>
    </AlipayProvider>
  )
}

/** A parent that owns the value (and upper-cases what is typed, to show it is in charge). */
function Controlled({ baseUrl }: { baseUrl: string }) {
  const [value, setValue] = useState<AddressValue>({ ...EMPTY_ADDRESS, recipient: '王芳' })
  return (
    <AlipayProvider baseUrl={baseUrl}>
      <AlipayAddressPicker
        value={value}
        onChange={(next) => setValue({ ...next, recipient: next.recipient.toUpperCase() })}
        hideAlipayButton
      />
    </AlipayProvider>
  )
}

describe('AlipayAddressPicker', () => {
  it('cascades province → city → district over the national divisions, loaded lazily', async () => {
    const onChange = vi.fn()
    render(
      <AlipayProvider baseUrl={h.bff.url}>
        <AlipayAddressPicker onChange={onChange} hideAlipayButton />
      </AlipayProvider>,
    )
    expect(select('省份').disabled).toBe(true) // while the data loads
    await waitFor(() => expect(select('省份').disabled).toBe(false))
    // 请选择 + the 31 provincial divisions of the national data (Hong Kong, Macao and Taiwan are not in it).
    expect(within(select('省份')).getAllByRole('option')).toHaveLength(32)
    fireEvent.change(select('省份'), { target: { value: '22' } }) // 吉林省
    fireEvent.change(select('城市'), { target: { value: '2224' } }) // 延边朝鲜族自治州
    fireEvent.change(select('区县'), { target: { value: '222401' } }) // 延吉市
    const value = onChange.mock.lastCall?.[0] as AddressValue
    expect(value).toMatchObject({
      province: { name: '吉林省', code: '22' },
      city: { name: '延边朝鲜族自治州', code: '2224' },
      district: { name: '延吉市', code: '222401' },
      source: 'manual',
    })
  })

  it('finds a district by name: 浦东 fills 上海市 / 市辖区 / 浦东新区', async () => {
    let last: AddressValue | undefined
    render(
      <AlipayProvider baseUrl={h.bff.url}>
        <AlipayAddressPicker onChange={(value) => (last = value)} hideAlipayButton />
      </AlipayProvider>,
    )
    const search = await screen.findByRole('searchbox', { name: '搜索地区' })
    await waitFor(() => expect((search as HTMLInputElement).disabled).toBe(false))
    await userEvent.type(search, '浦东')
    const hit = screen.getByRole('button', { name: '上海市 / 上海市（市辖区） / 浦东新区' })
    await userEvent.click(hit)
    expect(last).toMatchObject({
      province: { code: '31' },
      city: { code: '3101' },
      district: { name: '浦东新区', code: '310115' },
    })
    expect(select('城市').value).toBe('3101')
  })

  it('in English, names the regions in English and finds them by their English names; the value keeps the Chinese', async () => {
    let last: AddressValue | undefined
    render(
      <AlipayProvider baseUrl={h.bff.url} locale="en">
        <AlipayAddressPicker onChange={(value) => (last = value)} hideAlipayButton />
      </AlipayProvider>,
    )
    await waitFor(() =>
      expect(
        within(select('Province')).queryByRole('option', { name: 'Inner Mongolia' }),
      ).not.toBeNull(),
    )
    fireEvent.change(select('Province'), { target: { value: '22' } })
    expect(
      within(select('City')).getByRole('option', { name: 'Yanbian Korean Autonomous Prefecture' }),
    ).toBeDefined()
    const search = screen.getByRole('searchbox', { name: 'Find a region' })
    await userEvent.type(search, 'pudong')
    const hit = screen.getByRole('button', {
      name: 'Shanghai / Shanghai (City districts) / Pudong New Area',
    })
    await userEvent.click(hit)
    // Alipay and the courier get the national names; English is only the label.
    expect(last).toMatchObject({
      province: { name: '上海市', code: '31' },
      city: { name: '市辖区', code: '3101' },
      district: { name: '浦东新区', code: '310115' },
    })
    expect(select('District').selectedOptions[0]?.textContent).toBe('Pudong New Area')
  })

  it('validates: messages after leaving a field, or all at once after a submit attempt', async () => {
    render(<SubmitForm baseUrl={h.bff.url} />)
    const phone = screen.getByLabelText('手机号码')
    await userEvent.type(phone, '12345')
    fireEvent.blur(phone)
    expect(screen.getByText('请输入11位手机号码或带区号的固定电话')).toBeTruthy()
    expect(phone.getAttribute('aria-invalid')).toBe('true')
    expect(phone.getAttribute('aria-describedby')).toBe(
      screen.getByText('请输入11位手机号码或带区号的固定电话').id,
    )
    expect(screen.queryByText('请填写收货人')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: '提交' }))
    expect(screen.getByText('请填写收货人')).toBeTruthy()
    expect(screen.getByText('请填写详细地址')).toBeTruthy()
    expect(screen.getByText('请填写省份')).toBeTruthy()
  })

  it('works controlled: the parent’s value is what shows', async () => {
    render(<Controlled baseUrl={h.bff.url} />)
    const recipient = screen.getByLabelText('收货人') as HTMLInputElement
    expect(recipient.value).toBe('王芳')
    await userEvent.type(recipient, 'x')
    expect(recipient.value).toBe('王芳X')
  })

  it('"使用我在支付宝的联系方式" goes to Alipay’s address book and back to this page', async () => {
    window.history.replaceState(null, '', '/checkout')
    const { navigator, visits } = recordingNavigator()
    render(
      <AlipayProvider baseUrl={h.bff.url} navigator={navigator}>
        <AlipayAddressPicker />
      </AlipayProvider>,
    )
    fireEvent.click(screen.getByRole('button', { name: /使用我在支付宝的联系方式/ }))
    expect(visits).toEqual([
      { kind: 'assign', url: `${h.bff.url}/api/addresses/select?returnTo=%2Fcheckout` },
    ])
  })

  it('back from Alipay with a chosen address: fills the form, regions matched to the shop’s divisions', async () => {
    const buyer = new Shopper(h.bff.url)
    await buyer.logIn('/checkout', '2088102000000001')
    await buyer.browser.open(`${h.bff.url}/api/addresses/select?returnTo=/checkout`)
    const action = /action="(\/addresses\/[^"]+)"/.exec(buyer.browser.html)?.[1] as string
    await buyer.browser.submit(action, { index: '0' })
    window.history.replaceState(null, '', '/checkout?alipay_address=selected')
    const { fetch } = countingFetch(() => buyer.cookie)
    let last: AddressValue | undefined
    render(
      <AlipayProvider baseUrl={h.bff.url} fetch={fetch}>
        <AlipayAddressPicker onChange={(value) => (last = value)} />
      </AlipayProvider>,
    )
    await waitFor(() =>
      expect((screen.getByLabelText('收货人') as HTMLInputElement).value).toBe('张三'),
    )
    expect((screen.getByLabelText('手机号码') as HTMLInputElement).value).toBe('13800000001')
    expect((screen.getByLabelText('详细地址') as HTMLInputElement).value).toBe('世纪大道100号')
    await waitFor(() => expect(select('区县').value).toBe('310115'))
    expect(select('省份').value).toBe('31')
    expect(screen.getByRole('button', { name: '使用我在支付宝的联系方式' })).toBeTruthy() // logged in
    expect(screen.getByText('已填入你在支付宝选择的地址')).toBeTruthy()
    expect(last).toMatchObject({ source: 'alipay', district: { name: '浦东新区', code: '310115' } })
  })
})
