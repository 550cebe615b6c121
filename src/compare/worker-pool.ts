import {availableParallelism} from 'node:os'
import type {Worker} from 'node:worker_threads'
import {InputError} from '../core/input-error.ts'
import {startWorker} from '../engine/start-worker.ts'
import {VariantError} from '../engine/variant-error.ts'
import type {PoolData, WorkerMessage} from './serve-jobs.ts'

/** How long this thread works alone before worker threads join in: below it, starting them costs more than it saves. */
export const WORKERS_AFTER_MS = 150

/**
 * Worker threads to add to this one by default: one per further core, or the number in
 * the environment variable KREPLAY_WORKERS (0: every run in this thread).
 */
export function defaultWorkers(): number {
  const env = process.env.KREPLAY_WORKERS
  if (env !== undefined && /^\d+$/.test(env)) return Number(env)
  return Math.max(0, availableParallelism() - 1)
}

/** A list of independent jobs, run by this thread and, when they take long enough, by worker threads. */
export interface PoolWork<J, R> {
  readonly jobs: readonly J[]
  /** Runs one job in this thread. */
  readonly run: (job: J) => R
  /** The module worker threads run (it calls serveJobs), and the data it needs besides the jobs. */
  readonly worker: URL
  readonly data: Record<string, unknown>
  /** Worker threads at most (0: this thread alone). */
  readonly workers: number
  /** This thread works alone for this long first (default WORKERS_AFTER_MS; 0: the threads start before the first job). */
  readonly workersAfterMs?: number
  /** Called with each result in job order, before the next one's. */
  readonly onResult?: (result: R, index: number) => void
  /** Called as each job completes, in whatever order they do, with how many are done. */
  readonly onDone?: (done: number, total: number) => void
  /**
   * Let this thread's event loop run between the jobs it runs even before worker threads
   * start (they always do after): for long jobs, so a signal handler sees Ctrl-C between them.
   */
  readonly yieldBetweenJobs?: boolean
}

type Outcome<R> = {readonly ok: true; readonly value: R} | {readonly ok: false; readonly error: Error}

/**
 * Runs every job and returns the results in job order, as a loop over the jobs would:
 * `onResult` sees them in that order, and the first job that throws (in job order) ends
 * the run with its error after `onResult` saw every earlier one. This thread takes jobs
 * one at a time; when some remain after `workersAfterMs`, up to `workers` worker threads
 * start and take jobs from the same shared counter (one that fails before taking any, say
 * because it cannot load, leaves them to the others). So a short list never pays for
 * starting a thread, and the results do not depend on which thread ran which job.
 */
export async function runPool<J, R>(work: PoolWork<J, R>): Promise<R[]> {
  const n = work.jobs.length
  const claim = new Int32Array(new SharedArrayBuffer(4))
  const outcomes: (Outcome<R> | undefined)[] = new Array<Outcome<R> | undefined>(n)
  const results: R[] = []
  const threads: Worker[] = []
  let done = 0
  /** Worker threads that died (out of memory, say) with the jobs they had taken. */
  const crashed: Error[] = []
  let wake: (() => void) | null = null
  const settle = (i: number, o: Outcome<R>): void => {
    outcomes[i] = o
    work.onDone?.(++done, n)
  }
  const flush = (): void => {
    for (let i = results.length; i < n; i++) {
      const o = outcomes[i]
      if (o === undefined) return
      if (!o.ok) throw o.error
      work.onResult?.(o.value, i)
      results.push(o.value)
      outcomes[i] = undefined
    }
  }
  const startThreads = (): void => {
    const data: PoolData<J> = {...work.data, jobs: work.jobs, claim}
    for (let w = 0; w < work.workers; w++) {
      const t = startWorker(work.worker, data)
      let ready = false
      t.on('message', (m: WorkerMessage<R>) => {
        if ('ready' in m) {
          ready = true
          return
        }
        settle(m.index, m.ok ? {ok: true, value: m.value} : {ok: false, error: rebuildError(m.error)})
        wake?.()
      })
      t.once('error', (err) => {
        // One that failed before taking a job (it could not start) leaves them all to the others.
        if (!ready) return
        crashed.push(err)
        wake?.()
      })
      threads.push(t)
    }
  }
  const start = performance.now()
  const after = work.workersAfterMs ?? WORKERS_AFTER_MS
  try {
    for (;;) {
      if (threads.length === 0 && work.workers > 0 && performance.now() - start >= after && Atomics.load(claim, 0) < n - 1) startThreads()
      const i = Atomics.add(claim, 0, 1)
      if (i >= n) break
      let o: Outcome<R>
      try {
        o = {ok: true, value: work.run(work.jobs[i])}
      } catch (err) {
        o = {ok: false, error: err instanceof Error ? err : new Error(String(err))}
      }
      settle(i, o)
      flush()
      if (threads.length > 0 || work.yieldBetweenJobs) await new Promise((resolve) => setImmediate(resolve))
    }
    while (results.length < n) {
      flush()
      if (results.length === n) break
      if (crashed.length) throw crashed[0]
      await new Promise<void>((resolve) => (wake = resolve))
      wake = null
    }
    return results
  } finally {
    Atomics.store(claim, 0, n)
    for (const t of threads) void t.terminate()
  }
}

/** An error a worker thread sent back as its class name and message, as that class again. */
function rebuildError(e: {name: string; message: string}): Error {
  if (e.name === 'VariantError') return new VariantError(e.message)
  if (e.name === 'InputError') return new InputError(e.message)
  return new Error(e.message)
}
