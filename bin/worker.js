// Entry for kreplay's worker threads: registers tsx's loader, then imports the TypeScript
// module named in workerData.entry (an absolute file URL), which does the work.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'
import {workerData} from 'node:worker_threads'

registerCjs()
register()

await import(workerData.entry)
