import type {ChoiceSource} from '../../engine/choice.ts'
import {InputError} from '../../core/input-error.ts'
import type {RunResult} from '../../core/result.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {PartResult} from '../search.ts'
import {sortTallies, tallyKinds, type Tallies} from '../tally.ts'
import {backtrackRaces} from './backtrack-races.ts'
import {ExecutionTrace, TraceLimit} from './execution-trace.ts'
import {HappensBefore} from './happens-before.ts'
import {SearchTree} from './search-tree.ts'
import {SubtreeOwnership} from './subtree-ownership.ts'
import {Witnesses} from './witnesses.ts'

/** How an exhaustive search (or one part of it) runs. */
export interface ExhaustiveOptions {
  /** Complete schedules at most. */
  readonly budget: number
  readonly all: boolean
  readonly skip: ReadonlySet<string>
  /** How many parts share the search (more than one splits it at splitDepth). */
  readonly parts: number
  /**
   * The depth above which every enabled actor is explored (no reduction, sleep sets only)
   * so that the subtrees below it, numbered in discovery order (the same in every part),
   * can be shared among the parts; unused in one part.
   */
  readonly splitDepth: number
  /** Whether this part runs subtree r (asked once per subtree, in order); unused in one part. */
  readonly owns: (root: number) => boolean
  /** Asked between schedules: false stops the search (time up, another part found one earlier). */
  readonly keepGoing: (explored: number, found: number, root: number) => boolean
  /** Told the result of every complete schedule this part owns (tests, diagnostics). */
  readonly onSchedule?: (result: RunResult) => void
}

/**
 * Exhaustive search of the untimed model (src/engine/untimed-loop.ts): every interleaving of
 * the trace's events up to the order of commuting events, each run to its end. Stateless
 * model checking (Godefroid's VeriSoft; CHESS) with source-set DPOR and sleep sets
 * (Abdulla, Aronis, Jonsson, Sagonas, POPL 2014): every schedule is a run replayed from
 * the start; its events' footprints (tracer.ts) give happens-before, and each race
 * between events of two actors adds a backtrack point where an actor that starts the
 * reversed order is tried. Events commute when they touch disjoint objects, only read,
 * or apply word operations that commute from the value they saw (word-ops.ts: blind adds,
 * decrements that do not reach zero, such as stop_machine's acks).
 *
 * Two refinements keep small traces small. Busy-wait checks that fail and park are
 * stutters: they change nothing another event can observe, so they take no part in
 * happens-before, and a backtrack branch that would start with one is cut (its schedules
 * are those where the waiter checks later). And module memory and held references are
 * observer state: no event's behaviour depends on them, so they do not order events;
 * use-after-free and freed-while-referenced are judged from happens-before instead
 * (predict.ts), and each prediction is confirmed by running the reordered schedule.
 *
 * Sound under the model's rule that tasks share state only through kernel objects (words,
 * per-CPU counters, module state, locks, completions, tasks, run queues): plain JavaScript
 * state a variant shares between tasks must be ordered by them.
 */
export function exhaustiveSearch(target: ExploreTarget, opts: ExhaustiveOptions): PartResult {
  return new Dpor(target, opts).search()
}

/**
 * One exhaustive search (exhaustiveSearch): the choice source of its runs, which replays
 * the path to the current branch point and then extends the tree (candidates), the
 * backtracking that each finished event's races add (onEventEnd), and the loop that runs
 * schedule after schedule until no branch is left.
 */
class Dpor implements ChoiceSource {
  /** The split depth (0: not split). */
  private readonly D: number
  /** The current run's path: node j is where event j was chosen. */
  private readonly tree = new SearchTree()
  private readonly trace = new ExecutionTrace()
  private readonly hb = new HappensBefore(this.trace)
  private readonly own: SubtreeOwnership
  private readonly witnesses: Witnesses
  private readonly findings: Tallies = {}
  /** The depth the current run branches off the last one at (-1: the first run). */
  private branch = -1
  private explored = 0
  private pruned = 0
  private found = 0
  /** Events of the current run from which happens-before is analysed (the rest replay the last run's). */
  private analyseFrom = 0
  /** The current run's choices, and the next one. */
  private readonly picks: number[] = []
  private choice = 0

  constructor(
    private readonly target: ExploreTarget,
    private readonly opts: ExhaustiveOptions,
  ) {
    this.D = opts.parts > 1 ? opts.splitDepth : 0
    this.own = new SubtreeOwnership(opts.owns, opts.parts === 1)
    this.witnesses = new Witnesses(target, opts.skip)
    this.trace.onEventEnd = (j) => {
      if (j >= this.analyseFrom) backtrackRaces(this.trace, this.tree, this.hb, j, this.D)
    }
  }

  /** Runs schedules until the search is exhausted, the budget is spent, keepGoing says stop or (without `all`) a finding. */
  search(): PartResult {
    const {opts} = this
    for (;;) {
      if (this.explored >= opts.budget) return this.done('budget', false)
      if (!opts.keepGoing(this.explored, this.found, this.own.root)) return this.done('time', false)
      const result = this.runOnce()
      if (result !== null) {
        if (this.D > 0 && this.trace.n <= this.D) this.own.enter() // a complete schedule no deeper than the split: one part's
        if (this.own.owned && this.count(result) && !opts.all) return this.done('finding', false)
      } else if (!this.own.foreign) {
        this.pruned++
      }
      this.own.foreign = false
      this.branch = this.tree.nextBranch(this.trace)
      if (this.branch < 0) return this.done('exhausted', true)
    }
  }

  private done(stopped: PartResult['stopped'], complete: boolean): PartResult {
    return {explored: this.explored, pruned: this.pruned, complete, stopped, findings: sortTallies(this.findings), lists: this.witnesses.lists}
  }

  /** Runs the next schedule: the path to the branch point, then the first actor awake at each new point. Null when cut short. */
  private runOnce(): RunResult | null {
    // The run replays the first `analyseFrom` events of the last one: their record and relation stand.
    this.analyseFrom = Math.max(this.branch, 0)
    this.hb.rollback(this.analyseFrom)
    this.trace.reset(this.analyseFrom)
    this.picks.length = 0
    this.choice = 0
    let run
    try {
      run = runTarget(this.target, this, {untimed: true, tracer: this.trace})
    } catch (err) {
      // A trace too long for exhaustive search is the user's choice of strategy, not a variant's fault.
      if (err instanceof Error && err.cause instanceof TraceLimit) throw new InputError(err.cause.message)
      throw err
    }
    this.trace.finish()
    return run.result
  }

  /** Counts a complete schedule this part owns; whether it showed (or predicts) a finding. */
  private count(result: RunResult): boolean {
    this.explored++
    this.opts.onSchedule?.(result)
    const index = this.own.next()
    const kinds = this.witnesses.kindsOf(result, this.picks, this.trace, this.hb)
    if (kinds.size === 0) return false
    this.found++
    tallyKinds(this.findings, kinds, index)
    return true
  }

  pick(): number {
    this.picks.push(this.choice)
    return this.choice
  }

  /** Before event j: replays the path's choice, or starts a new point (owned, awake actors first); false ends the run as redundant. */
  candidates(actors: Int32Array): boolean {
    const {trace, tree, branch, D} = this
    const j = trace.n
    // A backtrack branch that starts with a failed busy-wait check is redundant.
    if (j === branch + 1 && branch >= 0 && trace.stutter[branch]) return false
    if (j < tree.depth) {
      const node = tree.node(j)
      this.choice = node.index
      if (actors[this.choice] !== node.chosen || actors.length !== node.n) {
        throw new Error(`exhaustive search: the run left its replayed prefix at event ${j} (a variant that is not deterministic?)`)
      }
      return true
    }
    if (j === D && D > 0 && !this.own.enter()) {
      this.own.foreign = true
      return false
    }
    this.choice = tree.open(actors, trace, j < D)
    return this.choice >= 0
  }
}
