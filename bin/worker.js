// Entry for kreplay's worker threads when kreplay runs from its TypeScript sources
// (bin/dev.js, the tests): registers tsx's loaders, then runs src/engine/worker-entry.ts.
// Compiled, src/engine/start-worker.ts starts dist/src/engine/worker-entry.js directly.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'

registerCjs()
register()

await import('../src/engine/worker-entry.ts')
