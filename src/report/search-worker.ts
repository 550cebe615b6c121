/**
 * A worker thread of `report --explore`'s searches (report-searches.ts): loads the shipped
 * variants by id, then runs the searches it takes from the pool (compare/serve-jobs.ts).
 */
import {serveJobs} from '../compare/serve-jobs.ts'
import type {StrategyName} from '../explore/explore-result.ts'
import type {Scenario} from '../scenario/types.ts'
import {loadVariant} from '../variants/registry.ts'
import {runSearch, type SearchJob, type SearchSetup} from './report-searches.ts'

await serveJobs<SearchJob>(async (data) => {
  const scenarios = data.scenarios as Scenario[]
  const traceArgs = data.traceArgs as string[]
  const variantArgs = data.variantArgs as string[]
  const variants = await Promise.all((data.variants as string[]).map((id) => loadVariant(id)))
  const setup: SearchSetup = {
    traces: scenarios.map((scenario, i) => ({scenario, arg: traceArgs[i]})),
    variants: variants.map((variant, i) => ({variant, arg: variantArgs[i]})),
    strategy: data.strategy as StrategyName,
    timeMs: data.timeMs as number | null,
  }
  return (job) => runSearch(setup, job)
})
