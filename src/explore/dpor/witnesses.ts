import type {FindingKind, RunResult} from '../../core/result.ts'
import {countedFindings} from '../counted-findings.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import type {ChoiceList} from '../schedule/choice-list.ts'
import type {ReplayMode} from '../schedule/schedule-choices.ts'
import type {RecordedSchedule} from '../search.ts'
import {ActorPlan} from './actor-plan.ts'
import type {ExecutionTrace} from './execution-trace.ts'
import type {HappensBefore} from './happens-before.ts'
import {predictFindings} from './predict.ts'

/** The findings judged from happens-before rather than seen (predict.ts). */
const PREDICTED: ReadonlySet<string> = new Set(['use-after-free', 'freed-while-referenced'])

/**
 * The finding kinds of an exhaustive search's schedules and the first witness of each: a
 * schedule's counted findings, plus those happens-before predicts for a reordering of it,
 * each confirmed by running the reordered schedule (which becomes its witness).
 */
export class Witnesses {
  /** The choices of the first schedule that showed each kind. */
  readonly lists: Record<string, RecordedSchedule> = {}
  private readonly want: ReadonlySet<string>
  private readonly mode: ReplayMode

  constructor(
    private readonly target: ExploreTarget,
    private readonly skip: ReadonlySet<string>,
  ) {
    this.want = new Set([...PREDICTED].filter((k) => !skip.has(k)))
    this.mode = {untimed: true, jitterSeed: target.scenario.seed, delays: null}
  }

  /**
   * The kinds a complete schedule shows or predicts (its run's `result`, its choices
   * `picks`, its events in `trace` and their order `hb`), keeping the first witness of
   * each kind.
   */
  kindsOf(result: RunResult, picks: readonly number[], trace: ExecutionTrace, hb: HappensBefore): Set<string> {
    const {lists} = this
    const kinds = new Set<string>(countedFindings(result, this.skip).map((f) => f.kind))
    // `picks` is the search's, reused by its next run: a witness keeps a copy.
    for (const kind of kinds) if (!(kind in lists)) lists[kind] = {list: {values: picks.slice(), kinds: 'o'.repeat(picks.length)}, mode: this.mode}
    for (const p of predictFindings(trace, hb, this.want)) {
      if (kinds.has(p.kind)) continue
      if (!(p.kind in lists)) {
        const witness = this.confirm(p.events.map((e) => trace.actor[e]), p.kind)
        if (witness === null) continue
        lists[p.kind] = {list: witness, mode: this.mode}
      }
      kinds.add(p.kind)
    }
    return kinds
  }

  /** Runs a predicted schedule; its choice list if it shows the finding, else null. */
  private confirm(plan: readonly number[], kind: FindingKind): ChoiceList | null {
    const src = new ActorPlan(plan)
    const run = runTarget(this.target, src, {untimed: true})
    if (run.result === null || !countedFindings(run.result, this.skip).some((f) => f.kind === kind)) return null
    return {values: src.picks, kinds: 'o'.repeat(src.picks.length)}
  }
}
