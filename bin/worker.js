// Entry for kreplay's worker threads: registers tsx's loader, then imports the TypeScript
// module named in workerData.entry (an absolute file URL), which does the work. When the
// thread that started it is watched (src/engine/heartbeat.ts), this one beats into the
// same counter.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'
import {workerData} from 'node:worker_threads'

registerCjs()
register()

if (workerData.beats) {
  const {watchProgress} = await import('../src/engine/heartbeat.ts')
  watchProgress(workerData.beats)
}
await import(workerData.entry)
