import type { Locale } from '@alipay-kit/client'
import { AlipayKitApiError } from '@alipay-kit/client'

/** An error as the buyer reads it: the catalog's cause and fix in the current language. */
export function ErrorMessage({
  error,
  locale,
}: {
  readonly error: unknown
  readonly locale: Locale
}) {
  const explanation =
    error instanceof AlipayKitApiError
      ? error.explanation[locale]
      : {
          cause: locale === 'en' ? 'Something went wrong' : '出现了问题',
          fix: locale === 'en' ? 'Try again' : '请重试',
        }
  return (
    <p className="akit-error" role="alert">
      <span className="akit-error-cause">{explanation.cause}</span>
      {'：'}
      <span className="akit-error-fix">{explanation.fix}</span>
    </p>
  )
}
