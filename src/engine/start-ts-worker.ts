import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Worker, type ResourceLimits} from 'node:worker_threads'
import {COMPILED, PACKAGE_ROOT} from '../core/package-root.ts'
import {progressBeats} from './heartbeat.ts'

/**
 * The thread's entry: compiled, worker-main.js beside this module; from the sources,
 * bin/worker.js, which registers tsx's loaders first and then imports worker-main.ts.
 */
const ENTRY = COMPILED ? new URL('./worker-main.js', import.meta.url) : pathToFileURL(join(PACKAGE_ROOT, 'bin', 'worker.js'))

/**
 * Starts a worker thread running one of kreplay's modules (`module` is its source's URL,
 * e.g. `new URL('./worker.ts', import.meta.url)`; compiled, the .js twin beside it runs),
 * with `data` as its workerData. A watched thread (heartbeat.ts) hands its beat counter
 * on, so the worker's simulations beat into it too. `limits` bound the worker's memory:
 * past them it ends with an ERR_WORKER_OUT_OF_MEMORY error, and this process goes on.
 */
export function startTsWorker(module: URL, data: Record<string, unknown>, limits?: ResourceLimits): Worker {
  const entry = COMPILED ? module.href.replace(/\.ts$/, '.js') : module.href
  return new Worker(ENTRY, {workerData: {...data, entry, beats: progressBeats()}, resourceLimits: limits})
}
