import { correction, generate } from 'lean-qr'

/**
 * A QR code's modules as one SVG path (a 1×1 square per dark module, a quiet zone of 4 around),
 * and the side length in modules. Loaded on first use in a chunk of its own (lean-qr), so pages
 * without a QR code never download the encoder.
 */
export function qrPath(text: string): { readonly path: string; readonly size: number } {
  // Level M: Alipay's codes are short URLs; M survives a smudged screen or a glare.
  const code = generate(text, { minCorrectionLevel: correction.M })
  const quiet = 4
  let path = ''
  for (let y = 0; y < code.size; y++)
    for (let x = 0; x < code.size; x++)
      if (code.get(x, y)) path += `M${x + quiet} ${y + quiet}h1v1h-1z`
  return { path, size: code.size + quiet * 2 }
}
