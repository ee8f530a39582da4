import { AlipayKitError, parseTradeBill, type TradeBill } from '@alipay-kit/core'
import { unzipSync } from 'fflate'
import iconv from 'iconv-lite'

/**
 * Reads the trade bill archive: finds the details file (业务明细.csv, not the summary) and parses
 * it from GBK. Names in the archive are GBK without the zip's UTF-8 flag, which unzip hands over
 * byte for byte (as latin1) and are decoded here (docs/protocol.md, "The daily bill").
 */
export function readTradeBill(zip: Uint8Array): TradeBill {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(zip)
  } catch (error) {
    throw new AlipayKitError(
      'BILL_MALFORMED',
      `The bill archive cannot be opened (${(error as Error).message}): download it again`,
    )
  }
  const names = Object.keys(files).map((raw) => ({
    raw,
    name: iconv.decode(Buffer.from(raw, 'latin1'), 'gbk'),
  }))
  const details = names.find(({ name }) => name.endsWith('业务明细.csv'))
  if (!details)
    throw new AlipayKitError(
      'BILL_MALFORMED',
      `The bill archive has no 业务明细.csv (it holds ${names.map((n) => n.name).join(', ') || 'nothing'})`,
    )
  return parseTradeBill(iconv.decode(Buffer.from(files[details.raw] as Uint8Array), 'gbk'))
}
