// Entry for kreplay's worker threads run from the TypeScript sources (src/engine/start-worker.ts):
// registers tsx's loader, then hands over to src/engine/worker-entry.ts.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'

registerCjs()
register()

await import('../src/engine/worker-entry.ts')
