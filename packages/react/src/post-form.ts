import type { CashierStart } from '@alipay-kit/client'

/**
 * Sends the browser to Alipay with a POST, as Alipay's page pay prefers (a signed request can be
 * too long for a URL): builds a form of hidden fields, with the charset the signature was made
 * in, and submits it. Values are set as properties, never parsed as HTML.
 */
export function postForm(form: CashierStart['form']): void {
  const element = document.createElement('form')
  element.method = 'post'
  element.action = form.action
  element.acceptCharset = form.charset
  element.style.display = 'none'
  for (const [name, value] of Object.entries(form.fields)) {
    const input = document.createElement('input')
    input.type = 'hidden'
    input.name = name
    input.value = value
    element.appendChild(input)
  }
  document.body.appendChild(element)
  element.submit()
}
