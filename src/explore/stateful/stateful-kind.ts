import {InputError} from '../../core/input-error.ts'
import type {SearchClock} from '../progress.ts'
import type {ExploreTarget} from '../run-target.ts'
import type {PartResult, PartSpec, RecordedSchedule, Search, SearchKind} from '../search.ts'
import {statefulSearch} from './stateful-search.ts'

/** The default bound on stored states (20 bytes each, in a table at most half full: 320 MB). */
export const DEFAULT_MAX_STATES = 8_000_000

/** A stateful search as a Search: one part (its visited table is not shared), the first witness of each kind recorded as found. */
class StatefulPart implements Search {
  constructor(
    private readonly target: ExploreTarget,
    private readonly spec: PartSpec,
  ) {}

  run(clock: SearchClock): PartResult {
    const {spec} = this
    return statefulSearch(this.target, {
      budget: spec.budget,
      all: spec.all,
      skip: new Set(spec.skip),
      maxStates: spec.maxStates ?? DEFAULT_MAX_STATES,
      keepGoing: (explored, found) => clock.tick(explored, found),
    })
  }

  witness(found: PartResult, _index: number, kind: string): RecordedSchedule {
    return found.lists[kind]
  }
}

/** `--strategy stateful`: exhaustive search with state matching (stateful-search.ts), in one thread. */
export const STATEFUL: SearchKind = {
  untimed: true,
  defaultDepth: 0,
  defaultBudget: Number.MAX_SAFE_INTEGER,
  plan: (spec) => {
    if (spec.shard !== null || (spec.workers ?? 1) > 1) throw new InputError('--strategy stateful runs in one thread: its visited-state table is not shared (drop --workers and --shard, or use --strategy exhaustive)')
    return Promise.resolve({})
  },
  create: (target, spec) => {
    if (spec.shard !== null) throw new InputError('--strategy stateful runs in one thread: its visited-state table is not shared (drop --shard, or use --strategy exhaustive)')
    return new StatefulPart(target, spec)
  },
  exploredUpTo: (_spec, parts) => parts.reduce((s, p) => s + p.explored, 0),
}
