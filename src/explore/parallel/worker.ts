/**
 * Worker-thread side of a parallel search (workers.ts): loads the trace and variant,
 * runs its part of the search, and posts the PartResult (or an error message).
 */
import {parentPort, workerData} from 'node:worker_threads'
import {loadTraceArg} from '../../scenario/shipped.ts'
import {loadVariant} from '../../variants/registry.ts'
import {traceLimitsOf, type PartSpec} from '../search.ts'
import {searchPart} from './search-part.ts'
import type {SharedState} from './shared-state.ts'

interface Job {
  readonly spec: PartSpec
  readonly shared: SharedState
}

const job = workerData as Job
try {
  const target = {scenario: loadTraceArg(job.spec.trace, traceLimitsOf(job.spec)), variant: await loadVariant(job.spec.variant)}
  parentPort!.postMessage({ok: true, result: searchPart(job.spec, target, null, job.shared)})
} catch (err) {
  parentPort!.postMessage({ok: false, message: err instanceof Error ? err.message : String(err)})
}
