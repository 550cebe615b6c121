import {Worker, type ResourceLimits} from 'node:worker_threads'
import {progressBeats} from './heartbeat.ts'

const ENTRY = new URL('../../bin/worker.js', import.meta.url)

/**
 * Starts a worker thread running a TypeScript module (`module` is its URL, e.g.
 * `new URL('./worker.ts', import.meta.url)`), with `data` as its workerData. A
 * watched thread (heartbeat.ts) hands its beat counter on, so the worker's simulations
 * beat into it too. `limits` bound the worker's memory: past them it ends with an
 * ERR_WORKER_OUT_OF_MEMORY error, and this process goes on.
 */
export function startTsWorker(module: URL, data: Record<string, unknown>, limits?: ResourceLimits): Worker {
  return new Worker(ENTRY, {workerData: {...data, entry: module.href, beats: progressBeats()}, resourceLimits: limits})
}
