/**
 * Worker side of a guarded run: loads the trace and the variant, runs, posts the output.
 * Any error is posted as its message, so the parent can report it as a clear error.
 */
import {parentPort, workerData} from 'node:worker_threads'
import {loadTraceArg} from '../scenario/shipped.ts'
import {loadVariant} from '../variants/registry.ts'
import {runScenario, type RunConfig} from './run.ts'

interface Job {
  readonly trace: string
  readonly variant: string
  readonly cfg: Omit<RunConfig, 'choices'>
}

const job = workerData as Job
try {
  const out = runScenario(loadTraceArg(job.trace), await loadVariant(job.variant), job.cfg)
  parentPort!.postMessage({ok: true, out})
} catch (err) {
  parentPort!.postMessage({ok: false, message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.constructor.name : 'Error'})
}
