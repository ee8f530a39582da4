import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/*
 * The official alipay-sdk is the independent oracle for interop tests. Its signing helper and
 * certificate-SN reader are not in its exports map, so they are loaded from its files directly.
 */
const require = createRequire(import.meta.url)
const root = dirname(require.resolve('alipay-sdk'))

export const { AlipaySdk } = require('alipay-sdk') as typeof import('alipay-sdk')

export const sdkSign = (
  require(join(root, 'util.js')) as {
    sign: (
      method: string,
      params: Record<string, unknown>,
      config: Record<string, unknown>,
    ) => Record<string, string>
  }
).sign

export const sdkGetSN = (
  require(join(root, 'antcertutil.js')) as { getSN: (pem: string, isRoot?: boolean) => string }
).getSN
