import type {Access} from './dependence.ts'
import {independentOf} from './dependence.ts'
import type {ExecutionTrace} from './execution-trace.ts'

/** A point of the search tree: the actors that could run there and what has been tried. */
export interface Node {
  readonly actors: Int32Array
  chosen: number
  /** Where `chosen` is among `actors` (the engine lists candidates in a fixed order). */
  index: number
  readonly backtrack: number[]
  /** Actors explored from here, with what their event touched (for the siblings' sleep sets); null while none is. */
  done: Map<number, readonly Access[]> | null
  /** Actors asleep on arrival: their schedules from here are covered elsewhere. */
  readonly sleep: ReadonlyMap<number, readonly Access[]>
}

/** The empty sleep set. */
export const NO_SLEEP: ReadonlyMap<number, readonly Access[]> = new Map()

/**
 * Source-DPOR's backtrack rule: unless one of the actors `init` that can start a reversal
 * is already to be tried, done or asleep at `node`, try `want` (one of them) there, or
 * every actor when `want` is not enabled there.
 */
export function addBacktrack(node: Node, init: readonly number[], want: number): void {
  if (init.some((a) => node.backtrack.includes(a) || node.done?.has(a) === true || node.sleep.has(a))) return
  if (node.actors.includes(want)) node.backtrack.push(want)
  else for (const a of node.actors) if (!node.backtrack.includes(a)) node.backtrack.push(a)
}

/** The sleep set after `node`'s chosen event (event `j` of the trace): the sleepers it does not wake. */
export function childSleep(node: Node, trace: ExecutionTrace, j: number): ReadonlyMap<number, readonly Access[]> {
  if (node.sleep.size === 0 && node.done === null) return NO_SLEEP
  // A stutter changes nothing, so it wakes no sleeper.
  const stutter = trace.stutter[j] === 1
  const out = new Map<number, readonly Access[]>()
  for (const [a, afp] of node.sleep) if (a !== node.chosen && (stutter || independentOf(afp, trace, j))) out.set(a, afp)
  if (node.done !== null) for (const [a, afp] of node.done) if (a !== node.chosen && (stutter || independentOf(afp, trace, j))) out.set(a, afp)
  return out.size === 0 ? NO_SLEEP : out
}

/**
 * Backs up to the deepest point of `nodes` (the last run's path) with an untried
 * backtrack actor, switches it to that actor (the one it leaves goes to `done`, with its
 * footprint, for its siblings' sleep sets) and cuts the path below it. Returns that
 * point's depth, or -1 when every point is exhausted (the search is complete).
 */
export function nextBranch(nodes: Node[], trace: ExecutionTrace): number {
  for (let d = nodes.length - 1; d >= 0; d--) {
    const node = nodes[d]
    const next = node.actors.find((a) => a !== node.chosen && node.backtrack.includes(a) && node.done?.has(a) !== true && !node.sleep.has(a))
    if (next !== undefined) {
      ;(node.done ??= new Map()).set(node.chosen, trace.sleepFootprint(d))
      node.chosen = next
      node.index = node.actors.indexOf(next)
      nodes.length = d + 1
      return d
    }
  }
  return -1
}
