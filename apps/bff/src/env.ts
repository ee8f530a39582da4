import { readFileSync } from 'node:fs'
import { PAY_SERVICE_NAMES, type PayService } from '@alipay-kit/client'
import { AlipayConfigError } from '@alipay-kit/core'
import { z } from 'zod'

/*
 * Every setting of the BFF server comes from the environment, checked once at start with zod. A
 * missing or malformed value stops the server with a message naming the variable and what to put
 * in it. With no Alipay credentials at all, the server talks to the local simulator.
 */

const url = (what: string) =>
  z.url({ message: `must be an absolute URL (${what})` }).refine((v) => /^https?:/.test(v), {
    message: `must be an http(s) URL (${what})`,
  })

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
)

/** A positive duration in ms, at most a day. */
const milliseconds = (what: string) =>
  z
    .string()
    .regex(/^\d{1,8}$/, { message: `must be milliseconds ${what}` })
    .transform(Number)
    .refine((ms) => ms >= 1 && ms <= 86_400_000, {
      message: `must be from 1 to 86400000 ms ${what}`,
    })

const SERVICES = PAY_SERVICE_NAMES as [PayService, ...PayService[]]

export const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int()
    .min(0)
    .max(65535, { message: 'must be a port number from 0 to 65535' })
    .default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: url(
    'where Alipay and browsers reach this server, e.g. https://shop.example',
  ).optional(),
  APP_ORIGINS: list.optional(),
  APP_URL: url('where the SPA is').optional(),
  RESULT_PAGE: z
    .string()
    .regex(/^\/.*\{id\}/, { message: 'must be a path containing {id}, e.g. /orders/{id}' })
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, {
      message: 'must be a postgres:// URL (or unset it to use PGLITE_DIR)',
    })
    .optional(),
  PGLITE_DIR: z.string().min(1).default('.data/bff'),
  MERCHANT_API_SECRET: z
    .string()
    .min(16, { message: 'must be at least 16 characters (e.g. `openssl rand -hex 24`)' })
    .optional(),
  MERCHANT_API_SECRET_FILE: z.string().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  TRUST_PROXY_HOPS: z
    .string()
    .regex(/^\d{1,2}$/, {
      message:
        'must be the number of proxies in front of this server that set X-Forwarded-For (0: none, trust no forwarding header)',
    })
    .transform(Number)
    .optional(),
  ALIPAY_ANTI_PHISHING: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  PAYMENT_EXPIRY_MINUTES: z
    .string()
    .regex(/^\d{1,5}$/, { message: 'must be whole minutes, e.g. 30' })
    .transform(Number)
    .refine((minutes) => minutes >= 1 && minutes <= 21_600, {
      message: "must be from 1 to 21600 (Alipay's 15 days)",
    })
    .optional(),
  ALIPAY_LEGACY_IT_B_PAY: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
  WEBHOOK_URL: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean),
    )
    .refine((urls) => urls.every((url) => /^https?:\/\/\S+$/.test(url)), {
      message: 'must be one or more http(s) URLs, separated by commas',
    })
    .refine((urls) => urls.every((url) => !/^https?:\/\/[^/?#]*@/.test(url)), {
      message:
        'must not carry a user name or password (https://user:pass@…): fetch never sends one, so no delivery would arrive; receivers check the signature, or give them a token in the query (?token=…)',
    })
    .optional(),
  WEBHOOK_SECRET: z.string().optional(),
  WEBHOOK_SECRET_FILE: z.string().optional(),
  RATE_LIMITS: z
    .enum(['on', 'off'], { message: 'must be on or off' })
    .transform((value) => value === 'on')
    .optional(),
  // What one client may hold of the server's sockets (src/sockets.ts).
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(
    'to receive the headers of a request, e.g. 15000',
  ).optional(),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds('to receive a whole request, e.g. 30000').optional(),
  MAX_CONNECTIONS_PER_ADDRESS: z
    .string()
    .regex(/^\d{1,6}$/, {
      message: 'must be the number of sockets one address may hold open (0: no cap), e.g. 128',
    })
    .transform(Number)
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
    .optional(),
  METRICS_TOKEN: z.string().optional(),
  METRICS_TOKEN_FILE: z.string().optional(),
  ALIPAY_SANDBOX_URL: url('the local simulator, e.g. http://127.0.0.1:4010').optional(),
  ALIPAY_PARTNER: z
    .string()
    .regex(/^2088\d{12}$/, {
      message: 'must be the 16-digit partner id starting with 2088 (not an email)',
    })
    .optional(),
  ALIPAY_KEY: z.string().optional(),
  ALIPAY_KEY_FILE: z.string().optional(),
  ALIPAY_SELLER_EMAIL: z.string().optional(),
  ALIPAY_CHARSET: z.enum(['utf-8', 'gbk'], { message: 'must be utf-8 or gbk' }).optional(),
  ALIPAY_LEGACY_GATEWAY: url('the legacy gateway').optional(),
  ALIPAY_APP_ID: z
    .string()
    .regex(/^\d{10,32}$/, { message: 'must be the numeric APPID' })
    .optional(),
  ALIPAY_APP_PRIVATE_KEY: z.string().optional(),
  ALIPAY_APP_PRIVATE_KEY_FILE: z.string().optional(),
  ALIPAY_PUBLIC_KEY: z.string().optional(),
  ALIPAY_PUBLIC_KEY_FILE: z.string().optional(),
  ALIPAY_APP_CERT: z.string().optional(),
  ALIPAY_APP_CERT_FILE: z.string().optional(),
  ALIPAY_PUBLIC_CERT: z.string().optional(),
  ALIPAY_PUBLIC_CERT_FILE: z.string().optional(),
  ALIPAY_ROOT_CERT: z.string().optional(),
  ALIPAY_ROOT_CERT_FILE: z.string().optional(),
  ALIPAY_SELLER_ID: z
    .string()
    .regex(/^2088\d{12}$/, {
      message: "must be the seller's 16-digit user id starting with 2088 (开放平台 → 账户中心)",
    })
    .optional(),
  ALIPAY_OPEN_GATEWAY: url('the Open Platform gateway').optional(),
  ALIPAY_AUTHORIZE_URL: url('the OAuth authorize page').optional(),
  ALIPAY_SERVICES: list
    .pipe(z.array(z.enum(SERVICES, { message: `each must be one of ${SERVICES.join(', ')}` })))
    .optional(),
  CATALOG_FILE: z.string().optional(),
  STATIC_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Env = z.output<typeof envSchema>

/** A configuration problem, worded for the operator (code INVALID_CONFIG). */
export class EnvError extends AlipayConfigError {
  override readonly name = 'EnvError'
  constructor(message: string) {
    super(undefined, message)
  }
}

/** Reads and checks the environment, or throws an EnvError listing every variable that is wrong. */
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
  const result = envSchema.safeParse(defined)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
  throw new EnvError(`The BFF's environment is not valid:\n${lines.join('\n')}`)
}

/** A secret given as a value or as a file (`X` or `X_FILE`), for key material kept out of the environment. */
export function secretOf(env: Env, name: keyof Env & string): string | undefined {
  const direct = env[name] as string | undefined
  const file = env[`${name}_FILE` as keyof Env] as string | undefined
  if (direct !== undefined && file !== undefined)
    throw new EnvError(`Set ${name} or ${name}_FILE, not both`)
  if (file === undefined) return direct
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    throw new EnvError(
      `${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    )
  }
}

/**
 * How many proxies in front of the server to believe (X-Forwarded-For, X-Forwarded-Proto): none
 * unless configured, since a client that reaches the server directly writes those headers itself
 * (issue 25, finding 6). TRUST_PROXY=true, the older setting, is one.
 */
export function proxyHops(env: Env): number {
  if (env.TRUST_PROXY_HOPS !== undefined && env.TRUST_PROXY !== undefined)
    throw new EnvError(
      'Set TRUST_PROXY_HOPS or TRUST_PROXY, not both: TRUST_PROXY_HOPS is the number of proxies in front of this server (TRUST_PROXY=true is one)',
    )
  return env.TRUST_PROXY_HOPS ?? (env.TRUST_PROXY ? 1 : 0)
}

/** Which Alipay to talk to: the real one (credentials given) or the local simulator. */
export function gatewayMode(env: Env): 'alipay' | 'sandbox' {
  const real = env.ALIPAY_PARTNER !== undefined || env.ALIPAY_APP_ID !== undefined
  if (real) return 'alipay'
  if (env.NODE_ENV === 'production')
    throw new EnvError(
      'No Alipay credentials: set ALIPAY_PARTNER + ALIPAY_KEY (legacy gateway) and/or ALIPAY_APP_ID + ALIPAY_APP_PRIVATE_KEY + ALIPAY_PUBLIC_KEY (Open Platform). In production the BFF does not fall back to the local simulator.',
    )
  return 'sandbox'
}
