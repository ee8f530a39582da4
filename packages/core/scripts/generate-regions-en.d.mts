/** The English names, in the order of the compact division list, joined by `|`. */
export function englishDivisions(): string
/** One word of Hanyu Pinyin, capitalised, apostrophes before a, o, e after the first syllable. */
export function romanize(text: string, name?: string): string
