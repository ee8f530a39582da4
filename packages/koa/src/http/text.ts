import { z } from 'zod'

/**
 * What a line of text a client sends may not hold: control characters (C0, DEL, C1: NUL among
 * them), line and paragraph separators, and UTF-16 halves without their pair (with the `u` flag a
 * pair is one code point, so \p{Cs} matches only a lone half). PostgreSQL's jsonb and text refuse
 * NUL and lone surrogates, so such a string would fail at the store as a 500; a line break has no
 * place in a name or an address line Alipay prints (docs/security.md, "Free text").
 */
const NOT_TEXT = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u

/** A string a client sends, checked to be one line of well-formed text (400 naming the field). */
export function text(): z.ZodString {
  return z.string().refine((value) => !NOT_TEXT.test(value), {
    message:
      'must be one line of text: no control characters (NUL, line breaks…) and no unpaired UTF-16 surrogates',
  })
}
