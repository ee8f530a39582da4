import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { AlipayKitError } from '@alipay-kit/core'
import type { Simulator, SimulatorSnapshot } from './simulator.js'

/**
 * Keeps the simulator's state in a JSON file: loads it at start, and writes it (atomically, at most
 * every `delayMs`) after each change, so a restarted sandbox still knows its trades and tokens.
 */
export function persistState(
  sim: Simulator,
  file: string,
  delayMs = 200,
): { flush(): void; stop(): void } {
  if (existsSync(file)) {
    let snapshot: SimulatorSnapshot
    try {
      snapshot = JSON.parse(readFileSync(file, 'utf8')) as SimulatorSnapshot
    } catch (error) {
      throw new AlipayKitError(
        'INVALID_CONFIG',
        `The sandbox state file ${file} is not valid JSON (${(error as Error).message}); fix or delete it`,
      )
    }
    sim.restore(snapshot)
  }
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    mkdirSync(dirname(file), { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, `${JSON.stringify(sim.snapshot())}\n`)
    renameSync(temporary, file)
  }
  sim.onChange = () => {
    timer ??= setTimeout(flush, delayMs)
    timer.unref?.()
  }
  return {
    flush,
    stop: () => {
      sim.onChange = undefined
      if (timer) flush()
    },
  }
}
