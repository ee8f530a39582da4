/**
 * Alipay's mark, drawn as SVG so it ships inside the package and scales to any size: the brand-blue
 * rounded square with the white 支. Merchants who prefer the PNGs of their signed integration
 * package pass `imageSrc` to the buttons instead.
 */
export function AlipayMark({ size }: { readonly size: number }) {
  return (
    <svg
      className="akit-mark"
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="7" fill="var(--akit-brand, #1677ff)" />
      <path
        fill="#fff"
        d="M8.2 9.1h15.6v2.3h-6.6v2.1h5.5v2.2h-1.3c-.7 2.1-1.8 3.9-3.3 5.3 1.9 1 4.2 1.7 6.8 2.1l-1 2.3c-3-.6-5.6-1.5-7.7-2.8-2.2 1.3-4.9 2.2-8.1 2.8l-.9-2.3c2.7-.4 5-1.1 6.8-2-1.3-1.3-2.3-2.9-3-4.7l2.2-.7c.6 1.5 1.5 2.8 2.7 3.8 1.1-1 2-2.3 2.5-3.8H8.9v-2.2h6.1v-2.1H8.2z"
      />
    </svg>
  )
}

export const MARK_SIZE = { small: 20, medium: 26, large: 32 } as const
