import type {ChoiceSource} from '../../engine/choice.ts'
import type {FindingKind, RunResult} from '../../observe/result.ts'
import {ActorPlan} from './actor-plan.ts'
import type {ChoiceList} from '../schedule/choice-list.ts'
import {countedFindings} from '../counted-findings.ts'
import {independentOf, type Access} from './dependence.ts'
import {ExecutionTrace, TraceLimit} from './execution-trace.ts'
import {InputError} from '../../cli/input-error.ts'
import {HappensBefore} from './happens-before.ts'
import {predictFindings} from './predict.ts'
import {runTarget, StopRun, type ExploreTarget} from '../run-target.ts'
import type {ReplayMode} from '../schedule/schedule-choices.ts'
import type {PartResult} from '../parallel/search-part.ts'
import {sortTallies, tallyKinds, type Tallies} from '../tally.ts'

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

/** A point of the search tree: the actors that could run there and what has been tried. */
interface Node {
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


/** Position of a schedule in the search: its subtree (split searches) and its number in it. */
export function scheduleIndex(root: number, ordinal: number): number {
  return root * 2 ** 21 + Math.min(ordinal, 2 ** 21 - 1)
}

const PREDICTED: ReadonlySet<string> = new Set(['use-after-free', 'freed-while-referenced'])

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
  const {parts} = opts
  const D = parts > 1 ? opts.splitDepth : 0
  const nodes: Node[] = []
  const findings: Tallies = {}
  const lists: Record<string, {list: ChoiceList; mode: ReplayMode}> = {}
  const mode: ReplayMode = {untimed: true, jitterSeed: target.scenario.seed, delays: null}
  const want = new Set([...PREDICTED].filter((k) => !opts.skip.has(k)))
  const trace = new ExecutionTrace()
  const hb = new HappensBefore(trace)
  let branch = -1
  let explored = 0
  let pruned = 0
  let found = 0
  let root = 0
  let ordinal = 0
  let owned = parts === 1
  const done = (stopped: PartResult['stopped'], complete: boolean): PartResult => ({explored, pruned, complete, stopped, findings: sortTallies(findings), lists})
  // The run's state, reset per schedule; the closures below are made once.
  let analyseFrom = 0
  let picks: number[] = []
  let choice = 0
  /** Whether this run entered a subtree another part owns. */
  let foreign = false as boolean
  trace.onEventEnd = (j) => {
    if (j < analyseFrom) return
    // An actor whose pending event j took away must also be tried before j.
    for (let d = trace.disN - 1; d >= 0 && trace.disEvent[d] === j; d--) {
      if (j >= D) addBacktrack(nodes[j], [trace.disActor[d]], trace.disActor[d])
    }
    const races = hb.add(j)
    for (const i of races) {
      if (i < D) continue
      const init = hb.initials(i, j)
      addBacktrack(nodes[i], init, init.includes(trace.actor[j]) ? trace.actor[j] : Math.min(...init))
    }
  }
  const source: ChoiceSource = {
    pick: () => {
      picks.push(choice)
      return choice
    },
    candidates: (actors) => {
      const j = trace.n
      // A backtrack branch that starts with a failed busy-wait check is redundant.
      if (j === branch + 1 && branch >= 0 && trace.stutter[branch]) throw new StopRun('redundant')
      if (j < nodes.length) {
        const node = nodes[j]
        choice = node.index
        if (actors[choice] !== node.chosen || actors.length !== node.actors.length) {
          throw new Error(`exhaustive search: the run left its replayed prefix at event ${j} (a variant that is not deterministic?)`)
        }
        return
      }
      if (j === D && D > 0) {
        owned = opts.owns(root)
        root++
        ordinal = 0
        if (!owned) {
          foreign = true
          throw new StopRun('redundant')
        }
      }
      const sleep = j === 0 ? NO_SLEEP : childSleep(nodes[j - 1], trace, j - 1)
      const all = actors.slice()
      choice = sleep.size === 0 ? 0 : all.findIndex((a) => !sleep.has(a))
      if (choice < 0) throw new StopRun('redundant')
      const chosen = all[choice]
      const backtrack = j < D ? Array.from(all).filter((a) => !sleep.has(a)) : [chosen]
      nodes.push({actors: all, chosen, index: choice, backtrack, done: null, sleep})
    },
  }
  for (;;) {
    if (explored >= opts.budget) return done('budget', false)
    if (!opts.keepGoing(explored, found, root)) return done('time', false)
    // The run replays the first `analyseFrom` events of the last one: their relation stands.
    analyseFrom = Math.max(branch, 0)
    hb.rollback(analyseFrom)
    trace.reset()
    picks = []
    choice = 0
    let run
    try {
      run = runTarget(target, source, {untimed: true, tracer: trace})
    } catch (err) {
      // A trace too long for exhaustive search is the user's choice of strategy, not a variant's fault.
      if (err instanceof Error && err.cause instanceof TraceLimit) throw new InputError(err.cause.message)
      throw err
    }
    trace.finish()
    if (run.result !== null) {
      if (D > 0 && trace.n <= D) {
        // A complete schedule no deeper than the split: it belongs to one part.
        owned = opts.owns(root)
        root++
        ordinal = 0
      }
      if (owned) {
        explored++
        opts.onSchedule?.(run.result)
        const kinds = new Set<string>(countedFindings(run.result, opts.skip).map((f) => f.kind))
        for (const kind of kinds) if (!(kind in lists)) lists[kind] = {list: {values: picks, kinds: 'o'.repeat(picks.length)}, mode}
        for (const p of predictFindings(trace, hb, want)) {
          if (kinds.has(p.kind)) continue
          if (!(p.kind in lists)) {
            const witness = confirm(target, p.events.map((e) => trace.actor[e]), p.kind, opts.skip)
            if (witness === null) continue
            lists[p.kind] = {list: witness, mode}
          }
          kinds.add(p.kind)
        }
        if (kinds.size) {
          found++
          tallyKinds(findings, kinds, scheduleIndex(Math.max(root - 1, 0), ordinal))
        }
        ordinal++
        if (kinds.size && !opts.all) return done('finding', false)
      }
    } else if (!foreign) {
      pruned++
    }
    foreign = false
    // Back up to the deepest point with an untried backtrack actor.
    branch = -1
    for (let d = nodes.length - 1; d >= 0; d--) {
      const node = nodes[d]
      const next = node.actors.find((a) => a !== node.chosen && node.backtrack.includes(a) && node.done?.has(a) !== true && !node.sleep.has(a))
      if (next !== undefined) {
        ;(node.done ??= new Map()).set(node.chosen, trace.sleepFootprint(d))
        node.chosen = next
        node.index = node.actors.indexOf(next)
        nodes.length = d + 1
        branch = d
        break
      }
    }
    if (branch < 0) return done('exhausted', true)
  }
}

const NO_SLEEP: ReadonlyMap<number, readonly Access[]> = new Map()

/**
 * Source-DPOR's backtrack rule: unless one of the actors `init` that can start a reversal
 * is already to be tried, done or asleep at `node`, try `want` (one of them) there, or
 * every actor when `want` is not enabled there.
 */
function addBacktrack(node: Node, init: readonly number[], want: number): void {
  if (init.some((a) => node.backtrack.includes(a) || node.done?.has(a) === true || node.sleep.has(a))) return
  if (node.actors.includes(want)) node.backtrack.push(want)
  else for (const a of node.actors) if (!node.backtrack.includes(a)) node.backtrack.push(a)
}

/** The sleep set after `node`'s chosen event (event `j` of the trace): the sleepers it does not wake. */
function childSleep(node: Node, trace: ExecutionTrace, j: number): ReadonlyMap<number, readonly Access[]> {
  if (node.sleep.size === 0 && node.done === null) return NO_SLEEP
  // A stutter changes nothing, so it wakes no sleeper.
  const stutter = trace.stutter[j] === 1
  const out = new Map<number, readonly Access[]>()
  for (const [a, afp] of node.sleep) if (a !== node.chosen && (stutter || independentOf(afp, trace, j))) out.set(a, afp)
  if (node.done !== null) for (const [a, afp] of node.done) if (a !== node.chosen && (stutter || independentOf(afp, trace, j))) out.set(a, afp)
  return out.size === 0 ? NO_SLEEP : out
}

/** Runs a predicted schedule; its choice list if it shows the finding, else null. */
function confirm(target: ExploreTarget, plan: readonly number[], kind: FindingKind, skip: ReadonlySet<string>): ChoiceList | null {
  const src = new ActorPlan(plan)
  const run = runTarget(target, src, {untimed: true})
  if (run.result === null || !countedFindings(run.result, skip).some((f) => f.kind === kind)) return null
  return {values: src.picks, kinds: 'o'.repeat(src.picks.length)}
}

/** How many subtrees there are at depth `depth` (complete schedules shorter than it count as one). */
function countSubtrees(target: ExploreTarget, depth: number): number {
  let roots = 0
  exhaustiveSearch(target, {
    budget: Number.MAX_SAFE_INTEGER,
    all: true,
    skip: new Set(),
    parts: 2 ** 30,
    owns: () => false,
    splitDepth: depth,
    keepGoing: (_explored, _found, root) => {
      roots = root
      return true
    },
  })
  return roots
}

/** Subtrees a split exhaustive search aims for, whatever the number of parts (so counts agree). */
export const SPLIT_SUBTREES = 64

/**
 * The depth at which an exhaustive search is split among parts: the least at which there
 * are SPLIT_SUBTREES subtrees (or all there are). Depends only on the target, so every
 * worker and shard computes the same split.
 */
export function chooseSplitDepth(target: ExploreTarget): number {
  let last = -1
  for (let d = 1; d <= 64; d++) {
    const n = countSubtrees(target, d)
    if (n >= SPLIT_SUBTREES || n === last) return d
    last = n
  }
  return 64
}
