import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * One message of the conformance corpus (packages/core/conformance, one JSON file each): a
 * sample in Alipay's real format, transcribed from a named source (Alipay's documentation, the
 * official SDKs' code and fixtures, a message Alipay sent), never from this project's simulator.
 */
export interface ConformanceSample {
  readonly file: string
  readonly kind: 'notify' | 'return' | 'answer' | 'bill'
  readonly gateway: 'legacy' | 'open'
  readonly title: string
  /** Where the sample comes from, and what in it is not as the source has it. */
  readonly source: string
  /** `genuine`: Alipay's own signature, checked with `alipayPublicKey`; else signed by the test. */
  readonly signature?: { readonly genuine: boolean; readonly alipayPublicKey?: string }
  /** A notification's or return's fields, decoded (notify, return). */
  readonly fields?: Readonly<Record<string, string>>
  /** The method an answer is to (answer). */
  readonly method?: string
  /** A gateway answer's exact text (answer). */
  readonly answer?: string
  /** A bill file's text, decoded (bill). */
  readonly csv?: string
  /** What the core must read from it. */
  readonly expect: Readonly<Record<string, unknown>>
  /** The simulator's event for the same message, and fields that only some such messages carry. */
  readonly simulator: { readonly event: string; readonly optional: readonly string[] }
}

const DIR = fileURLToPath(new URL('../../conformance/', import.meta.url))

/**
 * Every sample of the corpus, by file name. Node only (it reads the files): for tests of the core
 * and of anything that claims to speak Alipay's formats, such as the simulator.
 *
 * @example
 * import { conformanceSamples } from '@alipay-kit/core/conformance'
 * for (const sample of conformanceSamples()) console.log(sample.file, sample.source)
 */
export function conformanceSamples(): ConformanceSample[] {
  return readdirSync(DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, ...JSON.parse(readFileSync(DIR + file, 'utf8')) }))
}
