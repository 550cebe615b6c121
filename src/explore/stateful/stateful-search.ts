import {InputError} from '../../core/input-error.ts'
import type {ChoiceSource} from '../../engine/choice.ts'
import {ControlRecorder} from '../../engine/control-recorder.ts'
import type {Engine} from '../../engine/engine.ts'
import {EV_SLICE} from '../../engine/event-kinds.ts'
import type {Kernel} from '../../engine/kernel.ts'
import {captureState} from '../../engine/machine-state.ts'
import type {Machine} from '../../engine/machine.ts'
import {StateHash} from '../../engine/state-hash.ts'
import {timesliceOf} from '../../engine/task.ts'
import type {RunResult} from '../../core/result.ts'
import {countedFindings, SEARCHED_KINDS} from '../counted-findings.ts'
import {ExecutionTrace, TraceLimit} from '../dpor/execution-trace.ts'
import {HappensBefore} from '../dpor/happens-before.ts'
import {SearchTree} from '../dpor/search-tree.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {PartResult, RecordedSchedule, StateStats} from '../search.ts'
import {sortTallies, tallyKinds, type Tallies} from '../tally.ts'
import {MASK_ACTORS, rank, sleepMask} from './sleep-mask.ts'
import {stableKey} from './stable-key.ts'
import {SubtreeSummaries} from './subtree-summaries.ts'
import {SummaryRaces} from './summary-races.ts'
import {TeeTracer} from './tee-tracer.ts'
import {VisitedStates} from './visited-states.ts'

/** How a stateful search (or one part of it) runs. */
export interface StatefulOptions {
  /** Runs at most. */
  readonly budget: number
  readonly all: boolean
  readonly skip: ReadonlySet<string>
  /** States stored at most (the table's memory bound). */
  readonly maxStates: number
  /** Asked between runs: false stops the search (time up). */
  readonly keepGoing: (explored: number, found: number) => boolean
  /** Told the result of every run that ended without being matched (tests). */
  readonly onSchedule?: (result: RunResult) => void
  /** False: no sleep sets and no DPOR, every enabled actor explored at every new state (tests compare). */
  readonly sleepSets?: boolean
  /** False: sleep sets alone, every actor awake explored at every new state (tests compare with DPOR). */
  readonly dpor?: boolean
}

/** A point of the current path (node j is the state before event j): its state's hash, and the work queued around it (see `work`). */
interface PathNode {
  readonly hash: number
  /** Work queued on the path before this point. */
  readonly work: number
  /** The most work queued after this point on any path explored from it. */
  after: number
  /** What the events explored from this point touched, so far (subtree-summaries.ts). */
  readonly sum: Set<number>
  /** Whether a cycle went from here back to a state above, still being explored (see pastState). */
  inCycle: boolean
}

/** Counted kinds that a run may show before it ends; a hang counts only at the end. */
const MIDWAY: ReadonlySet<string> = new Set(SEARCHED_KINDS.filter((k) => k !== 'hang'))

/**
 * Exhaustive search of the untimed model with state matching: a depth-first search of the
 * interleavings that source-DPOR's races call for (every enabled actor not asleep, without
 * DPOR) that stops a path when it reaches a state already visited (captureState,
 * src/engine/machine-state.ts: the machine, each task's control state as its history, and
 * the findings so far). Every run is replayed from the start (a generator cannot be
 * copied), so a path costs its length once; the runs are the visited tree's leaves. This
 * is explicit-state model checking as in SPIN (Holzmann, "The Model Checker SPIN", IEEE
 * TSE 1997) with stateful DPOR (summary-races.ts) and sleep sets (`candidates`).
 *
 * Logical time is left out of the state. That is exact only while the clock decides
 * nothing, which the search checks and reports (`states.exact`): no code used msleep (a
 * deadline read from the clock), every task's full timeslice is longer than the horizon
 * (so no timeslice ever ends), and no event can pass the horizon. For the last, every
 * queued event's time is at most the *work* queued on its path (the sum of the delays the
 * events were queued with, plus the latest absolute start); the work after a state depends
 * only on the state and the choices, so the table keeps, per state, the most work seen
 * after it, and a matched path adds its own work before the state to that. The search is
 * exact when the root's total is within the horizon.
 */
export function statefulSearch(target: ExploreTarget, opts: StatefulOptions): PartResult {
  return new StatefulSearch(target, opts).search()
}

class StatefulSearch implements ChoiceSource {
  private readonly table: VisitedStates
  /** The path's states, node j before event j; parallel to the sleep-set tree's nodes. */
  private readonly nodes: PathNode[] = []
  private readonly tree = new SearchTree()
  /** Every run's events and what they touched, for sleep sets (observer accesses order events here). */
  private readonly trace = new ExecutionTrace(true)
  private readonly summaries = new SubtreeSummaries()
  /** Whether new states explore only what races call for (DPOR), or every actor awake. */
  private readonly dpor: boolean
  private readonly races: SummaryRaces
  /** The states on the current path, by hash, with how often each is there (a match there is a cycle). */
  private readonly onPath = new Map<number, number>()
  private readonly findings: Tallies = {}
  private readonly lists: Record<string, RecordedSchedule> = {}
  private readonly hash = new StateHash()
  private runs = 0
  private pruned = 0
  private found = 0
  private matched = 0
  private transitions = 0
  private rootAfter = 0
  private startWork = 0
  private inexact: string | null = null
  /** The depth the current run branches off the last one at (-1: the first run). */
  private branch = -1
  // The current run.
  private m!: Machine
  private k!: Kernel
  private rec!: ControlRecorder
  private choice = 0
  private picks: number[] = []
  private work = 0
  private lastSeq = 0

  constructor(
    private readonly target: ExploreTarget,
    private readonly opts: StatefulOptions,
  ) {
    this.table = new VisitedStates(opts.maxStates)
    this.dpor = opts.dpor !== false && opts.sleepSets !== false
    const keyOf = (obj: object, field: number): number => stableKey(obj, field, this.m, this.rec)
    this.races = new SummaryRaces(this.trace, this.tree, this.dpor ? new HappensBefore(this.trace) : null, keyOf, (j) => this.nodes[j].sum)
    this.trace.onEventEnd = this.races.eventEnded
  }

  search(): PartResult {
    const {opts} = this
    for (;;) {
      if (this.runs >= opts.budget) return this.done('budget', false)
      if (!opts.keepGoing(this.runs, this.found)) return this.done('time', false)
      const result = this.runOnce()
      if (result !== null && this.count(result) && !opts.all) return this.done('finding', false)
      if (!this.backtrack()) return this.done('exhausted', true)
    }
  }

  private done(stopped: PartResult['stopped'], exhausted: boolean): PartResult {
    if (exhausted && this.inexact === null && this.startWork + this.rootAfter > this.target.scenario.horizon) {
      this.inexact = 'an event may pass the horizon on some path'
    }
    const states: StateStats = {
      stored: this.table.size,
      matched: this.matched,
      transitions: this.transitions,
      bytes: this.table.bytes + this.summaries.bytes,
      full: this.table.full,
      exact: this.inexact === null,
      ...(this.inexact === null ? {} : {inexact: this.inexact}),
    }
    return {
      explored: this.runs,
      pruned: this.pruned,
      complete: exhausted && this.inexact === null,
      stopped,
      findings: sortTallies(this.findings),
      lists: this.lists,
      states,
    }
  }

  private runOnce(): RunResult | null {
    this.picks = []
    this.work = 0
    this.lastSeq = 0
    this.runs++
    // The run replays the last one's first `branch` events: their record and relation stand.
    this.races.start(Math.max(this.branch, 0))
    this.trace.reset(Math.max(this.branch, 0))
    const rec = new ControlRecorder()
    this.rec = rec
    let run
    try {
      run = runTarget(this.target, this, {
        untimed: true,
        tracer: new TeeTracer(rec, this.trace),
        prepare: (engine: Engine) => {
          this.m = engine.m
          this.k = engine.k
          rec.attach(engine.m, engine.k)
        },
      })
    } catch (err) {
      // A trace too long for exhaustive search is the user's choice of strategy, not a variant's fault.
      if (err instanceof Error && err.cause instanceof TraceLimit) throw new InputError(err.cause.message)
      throw err
    }
    this.trace.finish()
    if (this.rec.clockRead && this.inexact === null) this.inexact = 'a task slept on the clock (msleep)'
    if (run.result === null) {
      this.pruned++
      return null
    }
    this.account()
    const last = this.nodes.at(-1)
    if (last !== undefined) last.after = Math.max(last.after, this.work - last.work)
    if (run.result.ended !== 'idle' && this.inexact === null) this.inexact = `a run ended at the ${run.result.ended}`
    return run.result
  }

  /** Counts a run that ended; whether it showed a finding. */
  private count(result: RunResult): boolean {
    this.opts.onSchedule?.(result)
    return this.tally(countedFindings(result, this.opts.skip).map((f) => f.kind))
  }

  /** Tallies finding kinds for the current run (its choices are their witness); whether there were any. */
  private tally(kinds: readonly string[]): boolean {
    if (kinds.length === 0) return false
    const set = new Set(kinds)
    for (const kind of set) {
      if (!(kind in this.lists)) {
        this.lists[kind] = {list: {values: this.picks.slice(), kinds: 'o'.repeat(this.picks.length)}, mode: {untimed: true, jitterSeed: this.target.scenario.seed, delays: null}}
      }
    }
    this.found++
    tallyKinds(this.findings, set, this.runs - 1)
    return true
  }

  /** Moves to the next actor to explore (the sleep-set tree's next branch), popping finished points; false when none is left. */
  private backtrack(): boolean {
    const d = this.tree.nextBranch(this.trace)
    const {nodes} = this
    while (nodes.length > d + 1) {
      const top = nodes.pop()!
      const left = (this.onPath.get(top.hash) ?? 1) - 1
      if (left === 0) this.onPath.delete(top.hash)
      else this.onPath.set(top.hash, left)
      const slot = this.table.find(top.hash)
      if (slot >= 0) {
        this.table.setValue(slot, Math.max(this.table.value(slot), top.after))
        this.table.setSummary(slot, this.summaries.merge(this.table.summary(slot), top.sum, top.inCycle))
      }
      if (nodes.length === 0) this.rootAfter = Math.max(this.rootAfter, top.after)
      else {
        const parent = nodes[nodes.length - 1]
        parent.after = Math.max(parent.after, top.work - parent.work + top.after)
        for (const e of top.sum) parent.sum.add(e)
      }
    }
    if (d < 0) return false
    this.branch = d
    this.transitions++
    return true
  }

  pick(): number {
    this.picks.push(this.choice)
    return this.choice
  }

  /**
   * Before each dispatch: replays the path, or captures the new state and matches it,
   * with sleep sets kept sound under state matching as in Godefroid's state-space caching
   * ("Partial-Order Methods for the Verification of Concurrent Systems", LNCS 1032, 1996,
   * ch. 5): each stored state keeps the set of its actors not explored from it (its sleep
   * set on the first visit, narrowed on each later one); a path that reaches it with a
   * sleep set holding all of those ends there, and one that does not explores just the
   * actors it lacks. Sleep sets only cut transitions whose successors are reached by
   * another order of independent events, so every reachable state is still visited.
   * False ends the run there (ChoiceSource.candidates).
   */
  candidates(actors: Int32Array): boolean {
    const {m, tree} = this
    this.account()
    this.races.analyseTo(this.trace.n)
    for (const c of m.cpus) {
      if (c.curr !== null) this.rec.track(c.curr)
      if (c.irqTask !== null) this.rec.track(c.irqTask)
    }
    const j = this.trace.n
    if (j < tree.depth) {
      const node = tree.node(j)
      if (actors.length !== node.n || actors[node.index] !== node.chosen) {
        throw new Error(`stateful search: the run left its replayed prefix at step ${j} (a variant that is not deterministic?)`)
      }
      this.choice = node.index
      return true
    }
    const node = tree.arrive(actors, this.trace)
    // An actor whose pending event the last event took away has another event now, if any: awake.
    const {trace} = this
    for (let d = trace.disN - 1; d >= 0 && trace.disEvent[d] === j - 1; d--) node.wake(trace.disActor[d])
    // Without sleep sets, or with more actors than a mask holds, every actor is explored.
    if (this.opts.sleepSets === false || node.n > MASK_ACTORS) node.nSleep = 0
    this.checkTimeslices()
    const h = this.hash
    h.reset()
    captureState(m, this.k, this.rec, h)
    const hash = h.value
    const asleep = sleepMask(node)
    let slot = this.table.find(hash)
    let explore = -1 // a new state
    let seen: Float64Array | null = null
    if (slot >= 0) {
      this.matched++
      seen = this.summaries.get(this.table.summary(slot))
      if (this.dpor) this.pastState(hash, seen, j)
      const unexplored = this.table.mask(slot)
      explore = unexplored & ~asleep
      if (explore === 0) return this.stopAt(hash, slot, seen)
      // Reached with fewer actors asleep than it was explored with: those are explored now.
      this.addWorkAfter(hash, slot)
      this.table.setMask(slot, unexplored & asleep)
    } else {
      slot = this.table.add(hash)
      if (slot >= 0) this.table.setMask(slot, asleep)
    }
    for (let i = 0; i < node.n; i++) {
      // A new state explores every actor awake, or (DPOR) only those the races it shows call for.
      const wanted = explore === -1 ? !this.dpor : ((explore >>> rank(node, i)) & 1) === 1
      if (wanted && !(node.nSleep > 0 && node.asleep(node.actors[i]))) node.backtrack[i] = 1
    }
    const first = tree.enter(node)
    if (first < 0) {
      // Every actor is asleep: what follows is explored from another order of the same events.
      this.tallyMidway()
      return false
    }
    this.onPath.set(hash, (this.onPath.get(hash) ?? 0) + 1)
    this.nodes.push({hash, work: this.work, after: 0, sum: new Set(seen), inCycle: false})
    this.transitions++
    this.choice = first
    return true
  }

  /** The path reached a visited state whose every unexplored actor is asleep here: its work and summary count for this path too; the run stops (false). */
  private stopAt(hash: number, slot: number, seen: Float64Array): false {
    this.addWorkAfter(hash, slot)
    const parent = this.nodes.at(-1)
    if (parent !== undefined) for (const e of seen) parent.sum.add(e)
    this.tallyMidway()
    return false
  }

  /**
   * The path reached a visited state: its summary's races with the path (summary-races.ts).
   * Back to a state on the path (a cycle), the points after that state go on round into
   * its subtree, still being explored, so their summaries would miss what follows: they
   * are stored as EVERYTHING (their parents' are complete: the cycle's head is above).
   */
  private pastState(hash: number, seen: Float64Array, j: number): void {
    const head = this.onPath.has(hash) ? this.nodes.findLastIndex((p) => p.hash === hash) : -1
    for (let d = head + 1; head >= 0 && d < j; d++) this.nodes[d].inCycle = true
    this.races.pastState(seen, j, head)
  }

  /**
   * The path reached a visited state: the work seen after it counts after this path's
   * parent too. Back to a state on the path (a cycle, such as a poll that found nothing
   * new): going round it reaches no state that the path's first visit does not, however
   * much time it queues, so it adds no work (the horizon bound is over loop-free paths).
   */
  private addWorkAfter(hash: number, slot: number): void {
    const parent = this.nodes.at(-1)
    if (parent !== undefined && !this.onPath.has(hash)) parent.after = Math.max(parent.after, this.work - parent.work + this.table.value(slot))
  }

  /** Tallies the findings the path has shown so far (a path cut before its end). */
  private tallyMidway(): void {
    this.tally(this.m.obs.findings.map((f) => f.kind).filter((k) => MIDWAY.has(k) && !this.opts.skip.has(k)))
  }

  /**
   * Adds the delays of the events queued since the last call to the path's work; the
   * first call takes the latest absolute time queued at boot within the horizon.
   * Timeslice ends are left out (checkTimeslices keeps them past the horizon).
   */
  private account(): void {
    const q = this.m.q
    const horizon = this.target.scenario.horizon
    const now = this.m.now
    const first = this.lastSeq === 0 && this.trace.n === 0
    for (const ev of q.all()) {
      if (ev.seq < this.lastSeq || ev.kind === EV_SLICE) continue
      if (first) {
        if (ev.t <= horizon) this.startWork = Math.max(this.startWork, ev.t)
      } else {
        this.work += ev.t - now
      }
    }
    this.lastSeq = q.seqCounter
  }

  /** The clock is left out only while no timeslice can end within the horizon. */
  private checkTimeslices(): void {
    if (this.inexact !== null) return
    const horizon = this.target.scenario.horizon
    for (const t of this.m.tasks) {
      if (t.where !== 'exited' && timesliceOf(t.policy, t.priority) <= horizon) {
        this.inexact = `${t.name}'s timeslice can end within the horizon`
        return
      }
    }
  }
}
