/**
 * A worker thread of runComparisonInParallel (compare.ts): loads the shipped variants by
 * id, then runs the comparison's jobs (seeded runs and schedule searches) it takes from the pool (serve-jobs.ts).
 */
import type {Scenario} from '../scenario/types.ts'
import {loadVariant} from '../variants/registry.ts'
import {runCompareJob, type CompareJob} from './compare.ts'
import {serveJobs} from './serve-jobs.ts'

await serveJobs<CompareJob>(async (data) => {
  const scenarios = data.scenarios as Scenario[]
  const variants = await Promise.all((data.variants as string[]).map((id) => loadVariant(id)))
  return (job) => runCompareJob(scenarios, variants, job)
})
