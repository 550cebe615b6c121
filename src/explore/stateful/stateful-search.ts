import {StopRun, type ChoiceSource} from '../../engine/choice.ts'
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
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {PartResult, RecordedSchedule, StateStats} from '../search.ts'
import {sortTallies, tallyKinds, type Tallies} from '../tally.ts'
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
}

/** A point of the current path: a state stored (or not: the table was full), and which of its actors is being explored. */
interface PathNode {
  readonly hash: number
  readonly actors: Int32Array
  index: number
  /** Work queued on the path before this point (see `work`). */
  readonly work: number
  /** The most work queued after this point on any path explored from it. */
  after: number
}

/** Counted kinds that a run may show before it ends; a hang counts only at the end. */
const MIDWAY: ReadonlySet<string> = new Set(SEARCHED_KINDS.filter((k) => k !== 'hang'))

/**
 * Exhaustive search of the untimed model with state matching: a depth-first search of
 * every interleaving (all enabled actors at each state) that stops a path when it reaches
 * a state already visited (captureState, src/engine/machine-state.ts: the machine, each
 * task's control state as its history, and the findings so far). Every run is replayed
 * from the start (a generator cannot be copied), so a path costs its length once; the
 * runs are the visited tree's leaves. This is explicit-state model checking as in SPIN
 * without partial-order reduction (Holzmann, "The Model Checker SPIN", IEEE TSE 1997);
 * combining state matching with DPOR's sleep and backtrack sets is not done here (see
 * docs/explore.md for why full expansion is the sound choice).
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
  private readonly nodes: PathNode[] = []
  /** The states on the current path, by hash (a match there is a cycle). */
  private readonly onPath = new Set<number>()
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
  // The current run.
  private m!: Machine
  private k!: Kernel
  private rec!: ControlRecorder
  private depth = 0
  private choice = 0
  private picks: number[] = []
  private work = 0
  private lastSeq = 0

  constructor(
    private readonly target: ExploreTarget,
    private readonly opts: StatefulOptions,
  ) {
    this.table = new VisitedStates(opts.maxStates)
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
      bytes: this.table.bytes,
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
    this.depth = 0
    this.picks = []
    this.work = 0
    this.lastSeq = 0
    this.runs++
    const rec = new ControlRecorder()
    this.rec = rec
    const run = runTarget(this.target, this, {
      untimed: true,
      tracer: rec,
      prepare: (engine: Engine) => {
        this.m = engine.m
        this.k = engine.k
        rec.attach(engine.m, engine.k)
      },
    })
    if (this.rec.clockRead && this.inexact === null) this.inexact = 'a task slept on the clock (msleep)'
    if (run.result === null) {
      this.pruned++
      return null
    }
    this.account()
    const last = this.nodes[this.nodes.length - 1]
    last.after = Math.max(last.after, this.work - last.work)
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

  /** Moves to the next unexplored actor, popping finished points; false when none is left. */
  private backtrack(): boolean {
    const {nodes} = this
    for (;;) {
      if (nodes.length === 0) return false
      const top = nodes[nodes.length - 1]
      if (top.index + 1 < top.actors.length) {
        top.index++
        this.transitions++
        return true
      }
      nodes.pop()
      this.onPath.delete(top.hash)
      const slot = this.table.find(top.hash)
      if (slot >= 0) this.table.setValue(slot, top.after)
      if (nodes.length === 0) this.rootAfter = top.after
      else {
        const parent = nodes[nodes.length - 1]
        parent.after = Math.max(parent.after, top.work - parent.work + top.after)
      }
    }
  }

  pick(): number {
    this.picks.push(this.choice)
    return this.choice
  }

  /** Before each dispatch: replays the path, or captures the new state and matches it. */
  candidates(actors: Int32Array): void {
    const {nodes, m} = this
    this.account()
    for (const c of m.cpus) {
      if (c.curr !== null) this.rec.track(c.curr)
      if (c.irqTask !== null) this.rec.track(c.irqTask)
    }
    const j = this.depth++
    if (j < nodes.length) {
      const node = nodes[j]
      if (actors.length !== node.actors.length || actors[node.index] !== node.actors[node.index]) {
        throw new Error(`stateful search: the run left its replayed prefix at step ${j} (a variant that is not deterministic?)`)
      }
      this.choice = node.index
      return
    }
    this.checkTimeslices()
    const h = this.hash
    h.reset()
    captureState(m, this.k, this.rec, h)
    const hash = h.value
    if (this.table.find(hash) >= 0) this.matchedAt(hash)
    this.table.add(hash)
    this.onPath.add(hash)
    nodes.push({hash, actors: actors.slice(), index: 0, work: this.work, after: 0})
    this.transitions++
    this.choice = 0
  }

  /** The path reached a visited state: its work after that state counts for this path too; the run stops. */
  private matchedAt(hash: number): never {
    this.matched++
    const parent = this.nodes[this.nodes.length - 1]
    // Back to a state on the path (a cycle, such as a poll that found nothing new): going
    // round it reaches no state that the path's first visit does not, however much time it
    // queues, so it adds no work (the horizon bound is over loop-free paths).
    if (!this.onPath.has(hash)) parent.after = Math.max(parent.after, this.work - parent.work + this.table.value(this.table.find(hash)))
    this.tally(this.m.obs.findings.map((f) => f.kind).filter((k) => MIDWAY.has(k) && !this.opts.skip.has(k)))
    throw StopRun.redundant
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
    const first = this.lastSeq === 0 && this.depth === 0
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
