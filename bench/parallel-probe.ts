/**
 * A fixed batch of simulations (get-vs-remove against every shipped variant, twice), run
 * by engine-bench.ts's parallelism probe as a child process, alone and two at once:
 * prints the batch's wall time in ms (start-up left out).
 */
import {runScenario} from '../src/engine/run.ts'
import {loadTraceArg} from '../src/scenario/shipped.ts'
import {loadVariant, shippedIds} from '../src/variants/registry.ts'

const trace = loadTraceArg('get-vs-remove')
const variants = await Promise.all(shippedIds().map((id) => loadVariant(id)))
const t0 = performance.now()
for (let round = 0; round < 2; round++) for (const v of variants) runScenario(trace, v)
console.log(Math.round(performance.now() - t0))
