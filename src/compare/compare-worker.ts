/**
 * A worker thread of runComparisonInParallel (compare.ts): loads the shipped variants by
 * id (and the comparison's RunViewer module, if any), then runs the comparison's jobs
 * (seeded runs and schedule searches) it takes from the pool (serve-jobs.ts).
 */
import {runnableModule} from '../engine/start-worker.ts'
import type {Scenario} from '../scenario/types.ts'
import {loadVariant} from '../variants/registry.ts'
import {runCompareJob, type CompareJob, type RunViewer} from './compare.ts'
import {serveJobs} from './serve-jobs.ts'

await serveJobs<CompareJob>(async (data) => {
  const scenarios = data.scenarios as Scenario[]
  const variants = await Promise.all((data.variants as string[]).map((id) => loadVariant(id)))
  const viewer = data.viewer === null ? null : ((await import(runnableModule(data.viewer as string))) as {default: RunViewer<unknown>}).default
  return (job) => runCompareJob(scenarios, variants, job, viewer)
})
