/*
 * Webhook URLs may carry a credential the receiver checks: `?token=…`, or a user and password.
 * The kit sends the URL whole but never writes the credential where others read: the log and the
 * merchant API show the query's names with `…` for each value (issue 25, finding 6).
 */

/**
 * The URL as it may be logged or shown: a user name and password become `…@`, each query value
 * `…` (names kept, so `?token=…` still says which URL it is), a fragment `#…`.
 */
export function redactUrl(value: string): string {
  const [, head = '', query, fragment] = /^([^?#]*)(?:\?([^#]*))?(#.*)?$/s.exec(value) ?? []
  const base = head.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1…@')
  const params =
    query === undefined
      ? ''
      : `?${query
          .split('&')
          .map((param) => {
            const equals = param.indexOf('=')
            if (equals === -1) return param === '' ? '' : '…'
            return `${param.slice(0, equals)}=…`
          })
          .join('&')}`
  return `${base}${params}${fragment === undefined ? '' : '#…'}`
}

/**
 * Why a webhook URL cannot be used, or undefined: not http(s), or carrying a user name or password,
 * which fetch refuses to send (every delivery would fail, each logging the password).
 */
export function webhookUrlProblem(value: string): string | undefined {
  const shown = redactUrl(value)
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!/^https?:\/\/\S+$/.test(value) || url === undefined)
    return `"${shown}" is not an http(s) URL`
  if (url.username !== '' || url.password !== '')
    return `${shown} carries a user name or password, which fetch never sends (it refuses such a URL, so no delivery would arrive): let the receiver check the signature (Alipay-Kit-Signature, docs/webhooks.md), or give it a token in the query (?token=…), which the log and the merchant API show as "…"`
  return undefined
}
