/** A simple illustration per product (the demo ships no photographs). */
const ART: Record<string, { colour: string; glyph: string }> = {
  longjing: { colour: '#5b8c00', glyph: '龙井' },
  puer: { colour: '#7c4a03', glyph: '普洱' },
  tieguanyin: { colour: '#389e0d', glyph: '观音' },
  teacup: { colour: '#13a8a8', glyph: '茶杯' },
  sample: { colour: '#d48806', glyph: '试饮' },
}

export function ProductArt({ image, name }: { image: string; name: string }) {
  const art = ART[image] ?? { colour: '#595959', glyph: name.slice(0, 2) }
  return (
    <svg className="product-art" viewBox="0 0 160 120" role="img" aria-label={name}>
      <rect width="160" height="120" rx="10" fill={art.colour} />
      <circle cx="128" cy="24" r="40" fill="#ffffff22" />
      <text x="80" y="74" textAnchor="middle" fontSize="34" fill="#fff">
        {art.glyph}
      </text>
    </svg>
  )
}
