import {Worker} from 'node:worker_threads'

const ENTRY = new URL('../../bin/worker.js', import.meta.url)

/**
 * Starts a worker thread running a TypeScript module (`module` is its URL, e.g.
 * `new URL('./run-worker.ts', import.meta.url)`), with `data` as its workerData.
 */
export function startTsWorker(module: URL, data: Record<string, unknown>): Worker {
  return new Worker(ENTRY, {workerData: {...data, entry: module.href}})
}
