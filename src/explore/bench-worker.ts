/**
 * Worker-thread side of `exploreInFreshThread` (bench.ts): runs one `explore()` and posts
 * its ExploreRun (or an error message).
 */
import {parentPort, workerData} from 'node:worker_threads'
import {explore, type ExploreOptions} from './explore.ts'

try {
  parentPort!.postMessage({ok: true, run: await explore((workerData as {opts: ExploreOptions}).opts)})
} catch (err) {
  parentPort!.postMessage({ok: false, message: err instanceof Error ? err.message : String(err)})
}
