import {Worker} from 'node:worker_threads'
import {watchedPulse} from './heartbeat.ts'

/** Whether this code runs compiled (from dist/, `.js`) rather than as TypeScript through tsx. */
const COMPILED = import.meta.url.endsWith('.js')

/**
 * The thread's first module: compiled, worker-entry.js beside this file; from the
 * TypeScript sources, bin/worker.js, which registers tsx's loader and then imports
 * worker-entry.ts.
 */
const ENTRY = COMPILED ? new URL('./worker-entry.js', import.meta.url) : new URL('../../bin/worker.js', import.meta.url)

/**
 * Starts a worker thread running a module of kreplay (`module` is its URL as the sources
 * name it, e.g. `new URL('./worker.ts', import.meta.url)`), with `data` as its workerData.
 * Running compiled (from dist/), the thread starts from the compiled `.js` module and
 * loads no TypeScript tooling, which makes a worker cheap to start; from the sources it
 * loads them through tsx. If this thread is watched (heartbeat.ts), the worker beats into
 * the same pulse, so that its simulations count as this thread's progress.
 */
export function startWorker(module: URL, data: Record<string, unknown>): Worker {
  return new Worker(ENTRY, {workerData: {...data, entry: runnableModule(module.href), pulse: watchedPulse()}})
}

/** A module of kreplay's sources (`href` of its `.ts` URL) as this build imports it: its `.js` when running compiled. */
export function runnableModule(href: string): string {
  return COMPILED ? href.replace(/\.ts$/, '.js') : href
}
