// @alipay-kit/core/regions-en: the divisions' English names alone, a chunk of their own that a
// browser loads only when a page is shown in English (about 55 kB before compression).
export { englishRegionNames } from './english.js'
