import { parseArgs } from 'node:util'
import { AlipayKitError } from '@alipay-kit/core'
import { type Faults, parseFaults } from './faults.js'

export const CLI_HELP = `alipay-sandbox: a local Alipay (legacy MD5 gateway + Open Platform)

Options:
  --port <n>              port to listen on (default 4010)
  --host <host>           interface (default 127.0.0.1)
  --time-scale <n>        speed up simulated time, e.g. 1000 (default 1)
  --credentials <file>    where credentials are kept between runs (default .data/sandbox-credentials.json)
  --state <file>          keep trades and tokens in this JSON file between runs (default: memory only)
  --fault <name[=value]>  a global fault, repeatable: duplicates=3, reorder, delayMs=500, dropReturn,
                          badSignature, amount=0.01, otherSeller, gbk, trickyValues,
                          refundRefused=TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH
  --strict                the checks a contract may switch on are on: anti-phishing
  --certificates          certificate mode (公钥证书): issue a root, Alipay's and the app's
                          certificates (written beside the credentials file)
  --help                  this text`

export interface CliOptions {
  readonly help: boolean
  readonly port: number
  readonly host: string
  readonly timeScale: number
  readonly credentialsFile: string
  readonly stateFile: string | undefined
  readonly faults: Faults
  readonly strict: boolean
  readonly certificates: boolean
}

/** Reads `--fault duplicates=3 --fault gbk` into the admin API's fault object. */
function faultsOf(entries: readonly string[]): Faults {
  const raw: Record<string, unknown> = {}
  for (const entry of entries) {
    const [name = '', value] = entry.split('=', 2)
    if (value === undefined) raw[name] = true
    else if (/^\d+$/.test(value) && name !== 'amount') raw[name] = Number(value)
    else if (value === 'true' || value === 'false') raw[name] = value === 'true'
    else raw[name] = value
  }
  return parseFaults(raw)
}

/** Parses the command line; throws an Error whose message says which option is wrong. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'time-scale': { type: 'string', default: '1' },
      credentials: { type: 'string', default: '.data/sandbox-credentials.json' },
      state: { type: 'string' },
      fault: { type: 'string', multiple: true, default: [] },
      strict: { type: 'boolean', default: false },
      certificates: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  const timeScale = Number(values['time-scale'])
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AlipayKitError(
      'INVALID_CONFIG',
      `--port must be a port number from 0 to 65535; got ${values.port}`,
    )
  if (!(timeScale > 0))
    throw new AlipayKitError(
      'INVALID_CONFIG',
      `--time-scale must be a positive number; got ${values['time-scale']}`,
    )
  let faults: Faults
  try {
    faults = faultsOf(values.fault)
  } catch (error) {
    throw new AlipayKitError('INVALID_CONFIG', `--fault: ${(error as Error).message}`)
  }
  return {
    help: values.help,
    port,
    host: values.host,
    timeScale,
    credentialsFile: values.credentials,
    stateFile: values.state,
    faults,
    strict: values.strict,
    certificates: values.certificates,
  }
}
