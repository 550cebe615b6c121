import {RecordingChoices, ReplayMismatch, StopRun} from '../../engine/choice.ts'
import type {Finding, FindingKind} from '../../core/result.ts'
import {recordedList, trimZeros, type ChoiceList} from './choice-list.ts'
import {countedFindings} from '../counted-findings.ts'
import {runTarget, type ExploreTarget} from '../run-target.ts'
import {ScheduleChoices, type ReplayMode} from './schedule-choices.ts'

/** What to shrink: a choice list that shows a finding of `kind` on the target. */
export interface ShrinkInput {
  readonly target: ExploreTarget
  readonly mode: ReplayMode
  readonly list: ChoiceList
  readonly kind: FindingKind
  /** Kinds the search does not count (a candidate must show `kind` as the search counts it). */
  readonly skip: ReadonlySet<string>
  /** Candidate runs at most (deterministic; no wall clock). */
  readonly maxRuns?: number
}

/** A shrunk schedule: no longer than the input, showing the same kind of finding. */
export interface ShrinkOutput {
  readonly list: ChoiceList
  readonly finding: Finding
  /** Candidate runs made. */
  readonly runs: number
}

/** Thrown when a recorded schedule does not show its finding again. */
export class NotReproduced extends Error {}

/**
 * Shrinks a failing schedule by delta debugging over its choice list: cut it right after
 * the choice that precedes the finding (past the end every choice is 0: the default
 * order, no delay), then zero out the non-zero choices (each one an injected delay or a
 * preemption), in chunks as in ddmin and then one by one, and shorten the delays that
 * remain. A candidate is kept only if its run still shows a finding of the same kind,
 * and it is then re-cut at its own finding, so the result is never longer than the input
 * and never has more non-zero choices.
 */
export function shrinkSchedule(input: ShrinkInput): ShrinkOutput {
  const maxRuns = input.maxRuns ?? 400
  let runs = 0
  const attempt = (list: ChoiceList): {list: ChoiceList; finding: Finding} | null => {
    runs++
    return reproduce(input, list)
  }
  const first = attempt(input.list)
  if (first === null) throw new NotReproduced(`the recorded schedule did not show ${input.kind} again`)
  let best = first
  // ddmin over the non-zero choices: zero out chunks, finer and finer.
  let chunks = 2
  for (;;) {
    const nonzero = best.list.values.flatMap((v, i) => (v !== 0 ? [i] : []))
    if (nonzero.length === 0 || runs >= maxRuns) break
    const n = Math.min(chunks, nonzero.length)
    let improved = false
    for (let c = 0; c < n && runs < maxRuns; c++) {
      const part = nonzero.slice(Math.floor((c * nonzero.length) / n), Math.floor(((c + 1) * nonzero.length) / n))
      const values = [...best.list.values]
      for (const i of part) values[i] = 0
      const got = attempt(trimZeros({values, kinds: best.list.kinds}))
      if (got !== null) {
        best = got
        improved = true
        break
      }
    }
    if (improved) chunks = Math.max(2, chunks - 1)
    else if (n >= nonzero.length) break
    else chunks = Math.min(nonzero.length, chunks * 2)
  }
  // Shorter delays: the smallest length that still shows the finding.
  for (let i = 0; i < best.list.values.length && runs < maxRuns; i++) {
    if (best.list.kinds[i] !== 'd') continue
    for (let v = 1; v < best.list.values[i] && runs < maxRuns; v++) {
      const values = [...best.list.values]
      values[i] = v
      const got = attempt({values, kinds: best.list.kinds})
      if (got !== null && got.list.values.length > i && got.list.values[i] === v) {
        best = got
        break
      }
    }
  }
  return {list: best.list, finding: best.finding, runs}
}

/**
 * Runs a candidate list; if it shows a finding of the kind, returns the list cut right
 * after the last choice before that finding (trailing zeros dropped) and the finding.
 */
function reproduce(input: ShrinkInput, list: ChoiceList): {list: ChoiceList; finding: Finding} | null {
  const rec = new RecordingChoices(new ScheduleChoices(list, input.mode), true)
  let seen = 0
  let found = null as Finding | null
  let cut = -1
  let run
  try {
    run = runTarget(input.target, rec, {
      untimed: input.mode.untimed,
      seed: input.mode.jitterSeed,
      prepare: (engine) => {
        rec.onPick = () => {
          const fs = engine.obs.findings
          for (; seen < fs.length; seen++) {
            if (fs[seen].kind === input.kind && !input.skip.has(input.kind)) {
              found = fs[seen]
              // The finding happened before this choice: the choices before it suffice.
              cut = rec.values.length - 1
              throw new StopRun('found')
            }
          }
        }
      },
    })
  } catch (err) {
    if (err instanceof ReplayMismatch || (err instanceof Error && err.cause instanceof ReplayMismatch)) return null
    throw err
  }
  if (run.stopped === 'found' && found !== null) return {list: trimZeros(cutList(rec, list, cut)), finding: found}
  if (run.result === null) return null
  const hit = countedFindings(run.result, input.skip).find((f) => f.kind === input.kind)
  if (hit === undefined) return null
  return {list: trimZeros(cutList(rec, list, rec.values.length)), finding: hit}
}

/** The first `n` choices the run made, never longer than the candidate list itself. */
function cutList(rec: RecordingChoices, list: ChoiceList, n: number): ChoiceList {
  return recordedList(rec, Math.min(n, list.values.length))
}
