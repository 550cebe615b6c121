/**
 * A kreplay worker thread's first module (start-ts-worker.ts): when the thread that
 * started it is watched (heartbeat.ts), this one beats into the same counter; then it
 * imports the module named in workerData.entry (a file URL), which does the work.
 */
import {workerData} from 'node:worker_threads'
import {watchProgress} from './heartbeat.ts'

const {beats, entry} = workerData as {beats: Int32Array | null; entry: string}
if (beats) watchProgress(beats)
await import(entry)
