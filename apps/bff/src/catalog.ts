import { readFileSync } from 'node:fs'
import type { CatalogProduct } from '@alipay-kit/koa'
import { z } from 'zod'
import { EnvError } from './env.js'

/** A product of the demo catalog: what the shop shows, and what the BFF prices from. */
export interface Product extends CatalogProduct {
  readonly description: string
  readonly image: string
  readonly nameEn?: string | undefined
  readonly descriptionEn?: string | undefined
}

const productSchema = z
  .object({
    sku: z.string().regex(/^[\w.-]{1,64}$/),
    name: z.string().min(1).max(100),
    price: z
      .string()
      .regex(/^(0|[1-9]\d{0,8})(\.\d{1,2})?$/, { message: 'must be yuan like "12.50"' }),
    description: z.string().max(500).default(''),
    /** The English name and description the shop shows in English (Alipay shows `name`). */
    nameEn: z.string().min(1).max(100).optional(),
    descriptionEn: z.string().max(500).optional(),
    image: z.string().max(200).default(''),
    /** Shipped goods need a delivery address whatever the service (default true: a tea shop). */
    ships: z.boolean().default(true),
  })
  .strict()

/** Loads the catalog (a JSON array of products) from a file, checking every entry. */
export function loadCatalog(file: string): Product[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new EnvError(`CATALOG_FILE: cannot read ${file} as JSON (${(error as Error).message})`)
  }
  const result = z.array(productSchema).min(1).safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new EnvError(`CATALOG_FILE ${file}: [${issue?.path.join('.')}] ${issue?.message}`)
  }
  return result.data
}
