// Entry for kreplay's worker threads when kreplay runs from its TypeScript sources
// (bin/dev.js, the tests): registers tsx's loaders, then runs src/engine/worker-main.ts.
// Compiled, src/engine/start-ts-worker.ts starts dist/src/engine/worker-main.js directly.
import {register} from 'tsx/esm/api'
import {register as registerCjs} from 'tsx/cjs/api'

registerCjs()
register()

await import('../src/engine/worker-main.ts')
