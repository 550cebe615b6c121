import type {Tallies} from '../tally.ts'

/**
 * State shared by the workers of one search: the lowest finding (a schedule index, or a
 * subtree of an exhaustive search) so far, so that a search that stops at its first
 * finding runs nothing past it; each worker's explored count for the progress line; and
 * (exhaustive) which worker claimed each of the shard's subtrees (0: none yet).
 */
export interface SharedState {
  readonly best: Int32Array
  readonly explored: Int32Array
  readonly claims: Int32Array
  /** Set to 1 to stop every worker before its next schedule (Ctrl-C: the search ends with what it has). */
  readonly stop: Int32Array
}

/** Nothing found yet, in `SharedState.best`. */
export const NONE_FOUND = 0x7fffffff

/** Subtrees of an exhaustive search whose worker is claimed at run time; the rest are dealt. */
const CLAIMED_SUBTREES = 1 << 16

/** Fresh shared state for `workers` workers. */
export function newSharedState(workers: number): SharedState {
  const shared: SharedState = {
    best: new Int32Array(new SharedArrayBuffer(4)),
    explored: new Int32Array(new SharedArrayBuffer(4 * workers)),
    claims: new Int32Array(new SharedArrayBuffer(4 * CLAIMED_SUBTREES)),
    stop: new Int32Array(new SharedArrayBuffer(4)),
  }
  shared.best[0] = NONE_FOUND
  return shared
}

/**
 * Whether this worker takes the shard's subtree n: the first worker to reach it does (the
 * workers meet the subtrees in the same order, so a worker busy with a large one leaves
 * the next ones to the others). Past the table, subtrees are dealt n mod workers.
 */
export function claim(shared: SharedState, n: number, worker: number, workers: number): boolean {
  if (n >= shared.claims.length) return n % workers === worker
  return Atomics.compareExchange(shared.claims, n, 0, worker + 1) === 0
}

/** The lowest schedule index in a tally. */
export function firstIndex(t: Tallies): number {
  return Math.min(...Object.values(t).map((x) => x.first))
}

/** Lowers the shared lowest finding to k (if k is lower). */
export function lowerBest(shared: SharedState, k: number): void {
  for (let cur = Atomics.load(shared.best, 0); k < cur; cur = Atomics.load(shared.best, 0)) {
    if (Atomics.compareExchange(shared.best, 0, cur, k) === cur) break
  }
}

/**
 * Whether a worker, about to run `unit` (a schedule index or subtree), should go on: not
 * when another worker has found something in an earlier unit and the search stops at its
 * first finding, nor once the search was told to stop. Publishes the worker's explored
 * count for the progress line.
 */
export function stillUseful(shared: SharedState | null, worker: number, explored: number, unit: number, all: boolean): boolean {
  if (shared === null) return true
  Atomics.store(shared.explored, worker, explored)
  return (all || unit <= Atomics.load(shared.best, 0)) && Atomics.load(shared.stop, 0) === 0
}
