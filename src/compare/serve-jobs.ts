import {parentPort, workerData} from 'node:worker_threads'
import {InputError} from '../core/input-error.ts'
import {VariantError} from '../engine/variant-error.ts'

/** What a pool's worker thread is started with (worker-pool.ts): its jobs, the shared claim counter, and the pool's own data. */
export type PoolData<J> = Record<string, unknown> & {readonly jobs: readonly J[]; readonly claim: Int32Array}

/** What a worker thread sends: that it is ready and about to take jobs, then each job's answer. */
export type WorkerMessage<R> = {readonly ready: true} | JobReply<R>

/** A worker thread's answer for one job. */
export type JobReply<R> = {readonly index: number; readonly ok: true; readonly value: R} | {readonly index: number; readonly ok: false; readonly error: {name: string; message: string}}

/**
 * The worker side of runPool (worker-pool.ts): `setup` prepares a job runner from the
 * pool's data (loading variants, say), then the thread says it is ready, takes jobs from
 * the shared counter until none is left, sending back each result or error, and ends.
 */
export async function serveJobs<J>(setup: (data: PoolData<J>) => ((job: J) => unknown) | Promise<(job: J) => unknown>): Promise<void> {
  const data = workerData as PoolData<J>
  const run = await setup(data)
  parentPort!.postMessage({ready: true} satisfies WorkerMessage<unknown>)
  for (;;) {
    const index = Atomics.add(data.claim, 0, 1)
    if (index >= data.jobs.length) return
    let reply: JobReply<unknown>
    try {
      reply = {index, ok: true, value: run(data.jobs[index])}
    } catch (err) {
      const name = err instanceof VariantError ? 'VariantError' : err instanceof InputError ? 'InputError' : 'Error'
      reply = {index, ok: false, error: {name, message: err instanceof Error ? err.message : String(err)}}
    }
    parentPort!.postMessage(reply)
  }
}
