import { siAlipay } from 'simple-icons'

/**
 * Alipay's own mark, from simple-icons (which takes it from Alipay's design guidelines,
 * `siAlipay.guidelines`), drawn as SVG so it ships inside the package and scales to any size. It
 * takes the colour of its button (white on the solid one, Alipay blue on the outline one); the
 * integration rules require Alipay's artwork, never a redrawn one ([QL] §4). Merchants who use
 * the official button PNGs of their signed integration package pass `imageSrc` to the buttons.
 */
export function AlipayMark({ size }: { readonly size: number }) {
  return (
    <svg
      className="akit-mark"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={siAlipay.path} />
    </svg>
  )
}

export const MARK_SIZE = { small: 20, medium: 26, large: 32 } as const
