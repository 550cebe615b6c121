import {SearchClock, type Progress} from '../progress.ts'
import type {ExploreTarget} from '../run-target.ts'
import {SEARCHES} from '../searches.ts'
import type {PartResult, PartSpec} from '../search.ts'
import type {SharedState} from './shared-state.ts'

/**
 * Runs one part of a search in this thread (a worker's, or a shard's). With `shared`, it
 * is one of several workers: it reads and lowers the shared lowest finding, and publishes
 * its count for the progress line.
 */
export function searchPart(spec: PartSpec, target: ExploreTarget, progress: ((p: Progress) => void) | null, shared: SharedState | null): PartResult {
  return SEARCHES[spec.strategy].create(target, spec).run(new SearchClock(spec.timeMs, progress), shared)
}
