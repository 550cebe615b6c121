/**
 * A worker thread of checkAll (check-all.ts): loads the variants from their files, then
 * judges the check's jobs it takes from the pool (serve-jobs.ts).
 */
import {serveJobs} from '../compare/serve-jobs.ts'
import type {Scenario} from '../scenario/types.ts'
import {loadVariant} from '../variants/registry.ts'
import {runCheckJob, type CheckJob} from './check-all.ts'

await serveJobs<CheckJob>(async (data) => {
  const traces = data.traces as Scenario[]
  const variants = await Promise.all((data.variants as string[]).map((id) => loadVariant(id)))
  const stepBudget = data.stepBudget as number | undefined
  return (job) => runCheckJob(traces, variants, job, stepBudget)
})
