import type {ChoiceSource} from '../../src/engine/choice.ts'
import {Dispatcher} from '../../src/engine/dispatch.ts'
import type {Engine} from '../../src/engine/engine.ts'
import type {SimEvent} from '../../src/engine/event-queue.ts'
import {EV_IPI} from '../../src/engine/event-kinds.ts'
import type {ExhaustiveOptions} from '../../src/explore/dpor/exhaustive.ts'
import {runTarget, type ExploreTarget} from '../../src/explore/run-target.ts'
import type {RunResult} from '../../src/core/result.ts'

/** Options of a whole exhaustive search: no budget, every kind, one part. */
export function options(extra: Partial<ExhaustiveOptions> = {}): ExhaustiveOptions {
  return {budget: 1e9, all: true, skip: new Set(), parts: 1, splitDepth: 0, owns: () => true, keepGoing: () => true, ...extra}
}

/** What a run ends with that does not depend on the order of commuting events. */
export function outcome(r: RunResult): string {
  const kinds = r.findings.map((f) => f.kind).filter((k) => k !== 'use-after-free' && k !== 'freed-while-referenced')
  return `${r.ended} gets ${r.metrics.gets_ok}/${r.metrics.gets_failed} steps ${r.metrics.steps} ${[...new Set(kinds)].sort().join(',')}`
}

/** `outcome` without the step count, which a busy-wait's re-checks make depend on the order of commuting events. */
export function outcomeOfSpinning(r: RunResult): string {
  return outcome(r).replace(/ steps \d+/, '')
}

/** Dispatcher.stale, except that no reschedule IPI is stale. */
function staleButIpis(this: Dispatcher, e: SimEvent): boolean {
  return e.kind !== EV_IPI && Dispatcher.prototype.stale.call(this, e)
}

/**
 * The untimed model without dropping stale reschedule IPIs (Dispatcher.stale): every IPI
 * arrives, if only to do nothing. (One function for every run: a closure made per run and
 * stored on the run's dispatcher kept whole runs alive through young collections, and
 * brute force took twice as long.)
 */
export function keepStaleIpis(engine: Engine): void {
  engine.dispatcher.stale = staleButIpis
}

/** Every untimed schedule, by plain depth-first enumeration of every choice: no reduction. */
export function bruteForce(target: ExploreTarget, outcomeOf = outcome, prepare?: (engine: Engine) => void): {count: number; outcomes: Set<string>; kinds: Set<string>} {
  const path: number[] = []
  const widths: number[] = []
  const outcomes = new Set<string>()
  const kinds = new Set<string>()
  let count = 0
  for (;;) {
    let i = 0
    const src: ChoiceSource = {
      pick: (n) => {
        if (i === path.length) path.push(0)
        widths[i] = n
        return path[i++]
      },
    }
    const r = runTarget(target, src, {untimed: true, prepare}).result!
    count++
    outcomes.add(outcomeOf(r))
    for (const f of r.findings) kinds.add(f.kind)
    path.length = i
    let d = i - 1
    while (d >= 0 && path[d] + 1 >= widths[d]) d--
    if (d < 0) return {count, outcomes, kinds}
    path[d]++
    path.length = d + 1
  }
}
