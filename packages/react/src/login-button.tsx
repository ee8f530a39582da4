'use client'
import type { LoginMethod } from '@alipay-kit/client'
import { AlipayMark, MARK_SIZE } from './artwork.js'
import { currentPage } from './current-page.js'
import { useAlipayKit } from './provider.js'

export interface AlipayLoginButtonProps {
  /** The official sizes. Default medium. */
  readonly size?: 'small' | 'medium' | 'large'
  /** Mark beside the words (horizontal, default) or above them (vertical). */
  readonly orientation?: 'horizontal' | 'vertical'
  /**
   * Where the buyer lands after logging in: by default the page they are on (log in first, then
   * buy); pass your order form at checkout (buy first, then log in; docs/protocol.md, "Quick login").
   */
  readonly returnTo?: string
  /** quick_login (legacy gateway, the default when offered) or oauth (Open Platform). */
  readonly via?: LoginMethod
  /** Your own official PNG (from your signed integration package), shown instead of the built-in artwork. */
  readonly imageSrc?: string
  readonly disabled?: boolean
  readonly className?: string
}

/**
 * Alipay's quick-login button. It sends the buyer to Alipay through the BFF and back to
 * `returnTo`, with no "login succeeded" page in between.
 *
 * @example
 * <AlipayLoginButton size="large" returnTo="/checkout" />
 */
export function AlipayLoginButton(props: AlipayLoginButtonProps) {
  const { client, messages, navigator } = useAlipayKit('AlipayLoginButton')
  const size = props.size ?? 'medium'
  const orientation = props.orientation ?? 'horizontal'
  const className = [
    'akit-button',
    'akit-login',
    `akit-${size}`,
    `akit-${orientation}`,
    props.imageSrc ? 'akit-image' : '',
    props.className ?? '',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <button
      type="button"
      className={className}
      disabled={props.disabled}
      onClick={() => navigator.assign(client.loginUrl(props.returnTo ?? currentPage(), props.via))}
    >
      {props.imageSrc ? (
        <img src={props.imageSrc} alt={messages.loginAlt} />
      ) : (
        <>
          <AlipayMark size={MARK_SIZE[size]} />
          <span className="akit-label">{messages.loginLabel}</span>
        </>
      )}
    </button>
  )
}
