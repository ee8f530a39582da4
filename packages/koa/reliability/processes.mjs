import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('./bff-process.mjs', import.meta.url))

/**
 * Starts a BFF instance in a child process (built packages; `pnpm run build` first). Resolves
 * when it listens. `kill('SIGKILL')` is a real crash: no cleanup runs.
 */
export function startBffProcess(config) {
  return new Promise((resolve, reject) => {
    const child = fork(SCRIPT, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: ['--expose-gc'],
    })
    child.send(config)
    let output = ''
    const onData = (chunk) => {
      output += chunk
      const match = /READY (\S+)/.exec(output)
      if (match) {
        child.stdout.off('data', onData)
        resolve({
          url: match[1],
          pid: child.pid,
          child,
          kill: (signal = 'SIGKILL') =>
            new Promise((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              child.once('exit', () => done())
              child.kill(signal)
            }),
          memory: () =>
            new Promise((done) => {
              child.once('message', done)
              child.send({ type: 'memory' })
            }),
        })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.once('exit', (code, signal) =>
      reject(new Error(`BFF process exited (${code ?? signal}) before it listened:\n${output}`)),
    )
  })
}
