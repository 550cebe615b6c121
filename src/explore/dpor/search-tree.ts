import {AccessColumns} from './access-columns.ts'
import {independentOf} from './dependence.ts'
import type {ExecutionTrace} from './execution-trace.ts'
import {SearchNode} from './search-node.ts'

/**
 * The search tree along the current run's path: node j is where event j was chosen
 * (search-node.ts), with source-DPOR's backtrack rule and sleep sets. Nodes and their
 * footprints are kept from run to run: a node below the path is reused when the path
 * comes back to its depth, and the footprints are one list used as a stack (a node's
 * entries lie above its ancestors', and go when the path is cut above it).
 */
export class SearchTree {
  /** How many nodes the path has. */
  depth = 0
  private readonly nodes: SearchNode[] = []
  /** The footprints the nodes' `done` and sleep sets refer to. */
  private readonly footprints = new AccessColumns()

  /** Node j of the path (j < depth), or the one `open` prepares (j = depth). */
  node(j: number): SearchNode {
    return this.nodes[j]
  }

  /**
   * Prepares the node after the path's last (at `depth`) for `actors`, asleep there what
   * the last node's chosen event (event depth - 1 of `trace`) does not wake, and chooses
   * its first actor awake. Returns that actor's position, or -1 when all sleep (the
   * node is then not added). When `all`, every actor awake is to be tried there, else the
   * one chosen.
   */
  open(actors: Int32Array, trace: ExecutionTrace, all: boolean): number {
    const node = this.arrive(actors, trace)
    if (all) for (let i = 0; i < node.n; i++) if (!(node.nSleep > 0 && node.asleep(node.actors[i]))) node.backtrack[i] = 1
    return this.enter(node)
  }

  /**
   * The first half of `open`: the node after the path's last, for `actors`, with its
   * sleepers and nothing to try yet. The caller marks what to try (`backtrack`), then
   * `enter`s it.
   */
  arrive(actors: Int32Array, trace: ExecutionTrace): SearchNode {
    const j = this.depth
    if (j === this.nodes.length) this.nodes.push(new SearchNode())
    const node = this.nodes[j]
    node.open(actors)
    if (j > 0) this.inheritSleep(this.nodes[j - 1], trace, j - 1, node)
    return node
  }

  /**
   * The second half of `open`: adds the arrived node to the path, choosing the first actor
   * awake that is to be tried there, or (when none is marked) the first awake, which is
   * then marked. Returns its position, or -1 when all sleep (the node is not added).
   */
  enter(node: SearchNode): number {
    let first = -1
    let marked = -1
    for (let i = 0; i < node.n && marked < 0; i++) {
      if (node.nSleep > 0 && node.asleep(node.actors[i])) continue
      if (first < 0) first = i
      if (node.backtrack[i] === 1) marked = i
    }
    const chosen = marked >= 0 ? marked : first
    if (chosen < 0) return -1
    node.choose(chosen)
    node.backtrack[chosen] = 1
    node.footprintEnd = this.footprints.n
    this.depth++
    return chosen
  }

  /** Puts to sleep at `child` the sleepers and explored actors of `node` that its chosen event (event `j` of the trace) does not wake. */
  private inheritSleep(node: SearchNode, trace: ExecutionTrace, j: number, child: SearchNode): void {
    // A stutter changes nothing, so it wakes no sleeper.
    const stutter = trace.stutter[j] === 1
    const fp = this.footprints
    for (let s = 0; s < node.nSleep; s++) {
      const a = node.sleepActor[s]
      const from = node.sleepFrom[s]
      const to = node.sleepTo[s]
      if (a !== node.chosen && (stutter || independentOf(fp, from, to, trace, j))) child.addSleeper(a, from, to)
    }
    for (let i = 0; i < node.n; i++) {
      if (node.done[i] === 0 || i === node.index) continue
      const from = node.doneFrom[i]
      const to = node.doneTo[i]
      if (stutter || independentOf(fp, from, to, trace, j)) child.addSleeper(node.actors[i], from, to)
    }
  }

  /**
   * Source-DPOR's backtrack rule at node j: unless one of the actors `init` (its first
   * `count`) that can start a reversal is already to be tried, done or asleep there, try
   * `want` (one of them) there, or every actor when `want` is not enabled there.
   */
  addBacktrack(j: number, init: ArrayLike<number>, count: number, want: number): void {
    const node = this.nodes[j]
    for (let k = 0; k < count; k++) {
      const a = init[k]
      const i = node.indexOf(a)
      if ((i >= 0 && (node.backtrack[i] === 1 || node.done[i] === 1)) || node.asleep(a)) return
    }
    const w = node.indexOf(want)
    if (w >= 0) node.backtrack[w] = 1
    else node.backtrack.fill(1, 0, node.n)
  }

  /**
   * Backs up to the deepest point of the path (the last run's) with an untried backtrack
   * actor, switches it to that actor (the one it leaves goes to `done`, with its
   * footprint from `trace`, for its siblings' sleep sets) and cuts the path below it.
   * Returns that point's depth, or -1 when every point is exhausted (the search is complete).
   */
  nextBranch(trace: ExecutionTrace): number {
    for (let d = this.depth - 1; d >= 0; d--) {
      const node = this.nodes[d]
      let next = -1
      for (let i = 0; i < node.n && next < 0; i++) {
        if (i !== node.index && node.backtrack[i] === 1 && node.done[i] === 0 && !node.asleep(node.actors[i])) next = i
      }
      if (next < 0) continue
      const fp = this.footprints
      fp.n = node.footprintEnd
      node.done[node.index] = 1
      node.doneFrom[node.index] = fp.n
      trace.copyFootprint(d, fp)
      node.doneTo[node.index] = fp.n
      node.footprintEnd = fp.n
      node.choose(next)
      this.depth = d + 1
      return d
    }
    return -1
  }
}
