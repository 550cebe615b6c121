import type {ChoiceList} from '../schedule/choice-list.ts'
import {chooseSplitDepth, exhaustiveSearch} from '../dpor/exhaustive.ts'
import type {Shard, StrategyName} from '../explore-result.ts'
import {makeStrategy} from '../sampling/make-strategy.ts'
import {SearchClock, type Progress} from '../progress.ts'
import type {ExploreTarget} from '../run-target.ts'
import {sampleSearch} from '../sampling/sample-search.ts'
import type {ReplayMode} from '../schedule/schedule-choices.ts'
import type {Tallies} from '../tally.ts'

/**
 * One part of a search, as a worker thread receives it (plain data): the search, and
 * which share of its schedules this part runs.
 */
export interface PartSpec {
  readonly trace: string
  readonly variant: string
  readonly strategy: StrategyName
  readonly seed: number
  readonly depth: number
  /** The plain run's step count (the random strategy's delay rate). */
  readonly plainSteps: number
  readonly budget: number
  readonly shard: Shard | null
  readonly all: boolean
  readonly skip: readonly string[]
  readonly timeMs: number | null
  /** Within the shard: this worker's number and how many share it (default 0 of 1). */
  readonly worker?: number
  readonly workers?: number
  /** Exhaustive, split among parts: the depth fully expanded above the subtrees (exhaustive.ts). */
  readonly splitDepth?: number
}

/** What one part found. */
export interface PartResult {
  readonly explored: number
  readonly pruned: number
  readonly complete: boolean
  readonly stopped: 'finding' | 'budget' | 'time' | 'exhausted'
  readonly findings: Tallies
  /** Exhaustive: the choices of the first schedule of each kind (sampling re-derives them from the index). */
  readonly lists: Readonly<Record<string, {readonly list: ChoiceList; readonly mode: ReplayMode}>>
}

/**
 * State shared by the workers of one search: the lowest schedule index with a finding so
 * far (a search that stops at its first finding runs no schedule past it), each worker's
 * explored count for the progress line, and (exhaustive) which worker claimed each of the
 * shard's subtrees (0: none yet).
 */
export interface SharedState {
  readonly best: Int32Array
  readonly explored: Int32Array
  readonly claims: Int32Array
}

/**
 * Runs one part of a search in this thread. With `shared`, it is one of several workers:
 * it reads and lowers `best`, and publishes its count for the progress line.
 */
export function searchPart(spec: PartSpec, target: ExploreTarget, progress: ((p: Progress) => void) | null, shared: SharedState | null): PartResult {
  const clock = new SearchClock(spec.timeMs, progress)
  const worker = spec.worker ?? 0
  const workers = spec.workers ?? 1
  const skip = new Set(spec.skip)
  const shardIndex = spec.shard?.index ?? 0
  const shardCount = spec.shard?.count ?? 1
  if (spec.strategy === 'exhaustive') {
    const parts = shardCount * workers
    const out = exhaustiveSearch(target, {
      // The shard's budget, shared out among its workers (worker w takes one more while w < remainder).
      budget: Math.floor(spec.budget / workers) + (worker < spec.budget % workers ? 1 : 0),
      all: spec.all,
      skip,
      parts,
      splitDepth: parts > 1 ? (spec.splitDepth ?? chooseSplitDepth(target)) : 0,
      owns: (root) => root % shardCount === shardIndex && (shared === null || claim(shared, Math.floor(root / shardCount), worker, workers)),
      keepGoing: (explored, found, root) => {
        if (shared !== null) Atomics.store(shared.explored, worker, explored)
        if (shared !== null && !spec.all && root > Atomics.load(shared.best, 0)) return false
        return clock.tick(explored, found)
      },
    })
    // Tell the other workers which subtree has a finding: they run none past it.
    if (shared !== null && out.stopped === 'finding') lowerBest(shared, Math.floor(firstIndex(out.findings) / 2 ** 21))
    return out
  }
  const strategy = makeStrategy(spec.strategy, target, spec.seed, spec.depth, spec.plainSteps)
  const first = shardIndex + worker * shardCount
  const stride = shardCount * workers
  const limit = Math.min(spec.budget, 0x7fffffff)
  const out = sampleSearch(target, strategy, {
    first,
    stride,
    limit,
    all: spec.all,
    skip,
    keepGoing: (explored, next, found) => {
      if (shared !== null) Atomics.store(shared.explored, worker, explored)
      if (shared !== null && !spec.all && next > Atomics.load(shared.best, 0)) return false
      return clock.tick(explored, found)
    },
  })
  if (shared !== null && out.stopped === 'finding') lowerBest(shared, firstIndex(out.findings))
  return {explored: out.explored, pruned: 0, complete: false, stopped: out.stopped, findings: out.findings, lists: {}}
}

/**
 * Whether this worker takes the shard's subtree n: the first worker to reach it does (the
 * workers meet the subtrees in the same order, so a worker busy with a large one leaves
 * the next ones to the others). Past the table, subtrees are dealt n mod workers.
 */
function claim(shared: SharedState, n: number, worker: number, workers: number): boolean {
  if (n >= shared.claims.length) return n % workers === worker
  return Atomics.compareExchange(shared.claims, n, 0, worker + 1) === 0
}

/** The lowest schedule index in a tally. */
function firstIndex(t: Tallies): number {
  return Math.min(...Object.values(t).map((x) => x.first))
}

/** Lowers the shared lowest-finding index to k (if k is lower). */
function lowerBest(shared: SharedState, k: number): void {
  for (let cur = Atomics.load(shared.best, 0); k < cur; cur = Atomics.load(shared.best, 0)) {
    if (Atomics.compareExchange(shared.best, 0, cur, k) === cur) break
  }
}
