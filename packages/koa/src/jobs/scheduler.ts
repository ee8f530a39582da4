import { randomBytes } from 'node:crypto'
import { AlipayKitError } from '@alipay-kit/core'
import type { KitContext } from '../context.js'
import { takeJobLease } from '../repositories/job-leases.js'
import type { Job } from './job.js'

/** What one pass did. */
export interface JobPass {
  readonly job: string
  /** False when another instance held a singleton job's lease, or a pass was already running here. */
  readonly ran: boolean
  /** How many things it did. */
  readonly count: number
  /** Why the pass failed (it is tried again at the next interval). */
  readonly error?: string
}

/**
 * Starts, stops and runs the kit's jobs. Each job runs one pass at a time per instance, on its
 * own interval (timers unref'd: they never keep a process alive); a singleton job's pass first
 * takes its lease in the store, so one instance runs it per period.
 */
export class JobScheduler {
  private readonly timers: NodeJS.Timeout[] = []
  private readonly running = new Map<string, Promise<JobPass>>()
  /** Jobs asked for (soon) while a pass ran: one more pass follows it. */
  private readonly again = new Set<string>()
  private stopped = false
  /** This instance, as lease holders are told apart. */
  readonly holder = `${process.pid}-${randomBytes(6).toString('hex')}`

  constructor(
    private readonly kit: KitContext,
    readonly jobs: readonly Job[],
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const timer = setInterval(() => void this.pass(job), job.everyMs)
      timer.unref()
      this.timers.push(timer)
    }
  }

  /** Stops the timers and waits for passes under way. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const timer of this.timers.splice(0)) clearInterval(timer)
    await Promise.allSettled([...this.running.values()])
  }

  /** Runs a pass of the job `name` now (a singleton job only if this instance gets its lease). */
  run(name: string): Promise<JobPass> {
    const job = this.jobs.find((candidate) => candidate.name === name)
    if (!job)
      throw new AlipayKitError(
        'MISUSE',
        `No job "${name}"; the kit's jobs are ${this.jobs.map((j) => j.name).join(', ')}`,
      )
    return this.pass(job)
  }

  /**
   * A pass now, or one more right after the pass under way (which may have claimed its work
   * before what was just committed): new work starts at once instead of at the next interval.
   */
  soon(name: string): void {
    const job = this.jobs.find((candidate) => candidate.name === name)
    if (!job || this.stopped) return
    if (this.running.has(name)) this.again.add(name)
    else void this.pass(job)
  }

  private pass(job: Job): Promise<JobPass> {
    const under = this.running.get(job.name)
    if (under) return under.then(() => ({ job: job.name, ran: false, count: 0 }))
    const pass = this.once(job).finally(() => {
      this.running.delete(job.name)
      if (this.again.delete(job.name) && !this.stopped) void this.pass(job)
    })
    this.running.set(job.name, pass)
    return pass
  }

  private async once(job: Job): Promise<JobPass> {
    const log = this.kit.config.logger
    try {
      if (
        job.scope === 'singleton' &&
        !(await takeJobLease(this.kit.store, job.name, this.holder, job.everyMs))
      )
        return { job: job.name, ran: false, count: 0 }
      const count = await job.run(this.kit)
      if (count > 0) log.info({ job: { name: job.name, count } }, 'job pass')
      return { job: job.name, ran: true, count }
    } catch (error) {
      const message = (error as Error).message ?? String(error)
      log.warn({ job: { name: job.name }, err: { message } }, 'job failed')
      return { job: job.name, ran: false, count: 0, error: message }
    }
  }
}
