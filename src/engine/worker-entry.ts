/**
 * The first module of every kreplay worker thread (start-worker.ts): when the thread that
 * started it is watched (heartbeat.ts), this one beats into the same counter; then it
 * imports the module named in workerData.entry (an absolute file URL), which does the work.
 */
import {workerData} from 'node:worker_threads'
import {watchProgress} from './heartbeat.ts'

const data = workerData as {entry: string; pulse: Int32Array | null}
if (data.pulse) watchProgress(data.pulse)
await import(data.entry)
