// The benchmarks' servers run in processes of their own and print `READY <url>` when listening.
import { spawn } from 'node:child_process'

/**
 * Starts `node <script> …args` and waits for its READY line.
 *
 * @example
 * const server = await startServerProcess(join(here, 'notify-server.mjs'), ['bff', location, fixtureFile])
 * await fetch(`${server.url}/__bench/kept`)
 * await server.stop()
 */
export async function startServerProcess(script, args, env = {}) {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  })
  const url = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /READY (\S+)/.exec(out)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) =>
      reject(new Error(`${script} exited (${code}) before it was ready`)),
    )
  })
  return {
    url,
    child,
    /** SIGTERM, and waits for the exit (the servers exit cleanly on it). */
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', resolve)
        child.kill('SIGTERM')
      }),
  }
}
