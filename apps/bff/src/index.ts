// The BFF server for programs that embed it (the demo, the end-to-end tests).
export { EnvError, parseEnv } from './env.js'
export { SANDBOX_MERCHANT_SECRET } from './options.js'
export { type BffExtras, type RunningBff, startBff } from './server.js'
