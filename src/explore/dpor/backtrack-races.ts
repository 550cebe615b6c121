import type {ExecutionTrace} from './execution-trace.ts'
import type {HappensBefore} from './happens-before.ts'
import type {SearchTree} from './search-tree.ts'

const ONE = new Int32Array(1)

/**
 * Source-DPOR's backtracking for event j of the current run (Abdulla, Aronis, Jonsson,
 * Sagonas, POPL 2014): adds j to happens-before and, for each race it completes with an
 * earlier event i, an actor that starts the reversed order to the backtrack set before i;
 * an actor whose pending event j took away is tried before j. Points above `from` are
 * left alone (those of a split search's shared top, where every actor is tried anyway).
 */
export function backtrackRaces(trace: ExecutionTrace, tree: SearchTree, hb: HappensBefore, j: number, from = 0): void {
  for (let d = trace.disN - 1; d >= 0 && trace.disEvent[d] === j; d--) {
    if (j < from) continue
    ONE[0] = trace.disActor[d]
    tree.addBacktrack(j, ONE, 1, trace.disActor[d])
  }
  const races = hb.add(j)
  for (let r = 0; r < races; r++) {
    const i = hb.races[r]
    if (i < from) continue
    const n = hb.initials(i, j)
    tree.addBacktrack(i, hb.init, n, preferred(hb.init, n, trace.actor[j]))
  }
}

/** The actor a race's reversal starts with: `actor` (the racing event's) if it is one of the `n` initials `init`, else the least. */
function preferred(init: Int32Array, n: number, actor: number): number {
  let least = init[0]
  for (let k = 0; k < n; k++) {
    if (init[k] === actor) return actor
    if (init[k] < least) least = init[k]
  }
  return least
}
