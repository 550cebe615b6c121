import {claim, firstIndex, lowerBest, stillUseful, type SharedState} from '../parallel/shared-state.ts'
import type {SearchClock} from '../progress.ts'
import type {ExploreTarget} from '../run-target.ts'
import type {PartResult, PartSpec, RecordedSchedule, Search, SearchKind} from '../search.ts'
import {exhaustiveSearch} from './exhaustive.ts'
import {chooseSplitDepth} from './split-depth.ts'
import {scheduleIndex} from './subtree-ownership.ts'

/** The subtree a schedule index of an exhaustive search lies in (subtree-ownership.ts). */
const subtreeOf = (index: number): number => Math.floor(index / scheduleIndex(1, 0))

/**
 * Exhaustive search as one part of a search (exhaustive.ts): shard i of n runs the
 * subtrees r with r mod n = i, and its workers claim those as they reach them. The
 * shard's budget is shared out among its workers. The first schedule of each kind is
 * recorded as it is found, so `witness` only looks it up.
 */
export class ExhaustiveSearch implements Search {
  constructor(
    private readonly target: ExploreTarget,
    private readonly spec: PartSpec,
  ) {}

  run(clock: SearchClock, shared: SharedState | null): PartResult {
    const {spec} = this
    const worker = spec.worker ?? 0
    const workers = spec.workers ?? 1
    const shardIndex = spec.shard?.index ?? 0
    const shardCount = spec.shard?.count ?? 1
    const parts = shardCount * workers
    const out = exhaustiveSearch(this.target, {
      // Worker w takes one more while w < remainder.
      budget: Math.floor(spec.budget / workers) + (worker < spec.budget % workers ? 1 : 0),
      all: spec.all,
      skip: new Set(spec.skip),
      parts,
      splitDepth: parts > 1 ? (spec.splitDepth ?? chooseSplitDepth(this.target, shardCount)) : 0,
      owns: (root) => root % shardCount === shardIndex && (shared === null || claim(shared, Math.floor(root / shardCount), worker, workers)),
      keepGoing: (explored, found, root) => stillUseful(shared, worker, explored, root, spec.all) && clock.tick(explored, found),
    })
    // Tell the other workers which subtree has a finding: they run none past it.
    if (shared !== null && out.stopped === 'finding') lowerBest(shared, subtreeOf(firstIndex(out.findings)))
    return out
  }

  witness(found: PartResult, _index: number, kind: string): RecordedSchedule {
    return found.lists[kind]
  }
}

/** Exhaustive search as a strategy: untimed, no depth, no budget unless given. */
export const EXHAUSTIVE: SearchKind = {
  untimed: true,
  defaultDepth: 0,
  defaultBudget: Number.MAX_SAFE_INTEGER,
  // Every worker would compute the same split; compute it once.
  plan: async (spec, load) => (spec.splitDepth === undefined ? {splitDepth: chooseSplitDepth(await load(), spec.shard?.count ?? 1)} : {}),
  create: (target, spec) => new ExhaustiveSearch(target, spec),
  // Parts run disjoint subtrees, and each stops at its own first finding: their counts add up.
  exploredUpTo: (_spec, parts) => parts.reduce((s, p) => s + p.explored, 0),
}
