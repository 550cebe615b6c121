import {OBS_FREE, OBS_MEMORY, OBS_REFS, type ExecutionTrace} from './execution-trace.ts'
import type {HappensBefore} from './happens-before.ts'

/** A finding that some reordering of a run must show, with the events of a run that does. */
export interface Prediction {
  readonly kind: 'use-after-free' | 'freed-while-referenced'
  /** Events of the analysed run, in an order that respects happens-before and shows the finding at its end. */
  readonly events: readonly number[]
}

/**
 * Use-after-free and freed-while-referenced judged from happens-before (the observer state
 * of tracer.ts, which takes no part in which events commute): an access of a module's
 * memory that the free does not follow can be moved after it, and a reference taken by an
 * event the free does not precede, and not dropped before the free happens, can be held
 * when it comes. The witness keeps the run's order within the causal past of the events
 * involved, which any reordering of commuting events allows.
 */
export function predictFindings(t: ExecutionTrace, hb: HappensBefore, want: ReadonlySet<string>): Prediction[] {
  const out: Prediction[] = []
  const frees: number[] = []
  for (let o = 0; o < t.obsN; o++) if (t.obsKind[o] === OBS_FREE) frees.push(o)
  if (frees.length === 0) return out
  if (want.has('use-after-free')) {
    search: for (const fo of frees) {
      const f = t.obsEvent[fo]
      const mod = t.obsMod[fo]
      for (let o = 0; o < t.obsN; o++) {
        if (t.obsKind[o] !== OBS_MEMORY || t.obsMod[o] !== mod) continue
        const r = t.obsEvent[o]
        if (r >= f || t.stutter[r] || hb.before(r, f)) continue
        out.push({kind: 'use-after-free', events: witness([...pastOf(hb, f), f], [...pastOf(hb, r), r])})
        break search
      }
    }
  }
  if (want.has('freed-while-referenced')) {
    search: for (const fo of frees) {
      const f = t.obsEvent[fo]
      const mod = t.obsMod[fo]
      for (let o = 0; o < t.obsN; o++) {
        if (t.obsKind[o] !== OBS_REFS || t.obsMod[o] !== mod || t.obsDelta[o] <= 0) continue
        const g = t.obsEvent[o]
        if (g === f || t.stutter[g] || hb.before(f, g)) continue
        // The matching drop: the task's next -1 on this module.
        let p = -1
        for (let q = o + 1; q < t.obsN; q++) {
          if (t.obsKind[q] === OBS_REFS && t.obsMod[q] === mod && t.obsTask[q] === t.obsTask[o] && t.obsDelta[q] < 0) {
            p = t.obsEvent[q]
            break
          }
        }
        if (p >= 0 && (p === f || hb.before(p, f))) continue
        const past = [...new Set([...pastOf(hb, f), ...pastOf(hb, g), g])].sort((a, b) => a - b)
        out.push({kind: 'freed-while-referenced', events: [...past.filter((e) => e !== f), f]})
        break search
      }
    }
  }
  return out
}

/** The events that happen before event e, in run order. */
function pastOf(hb: HappensBefore, e: number): number[] {
  const p: number[] = []
  for (let i = 0; i < e; i++) if (hb.before(i, e)) p.push(i)
  return p
}

/** `first`, then the events of `then` not in it, in run order. */
function witness(first: readonly number[], then: readonly number[]): number[] {
  const inFirst = new Set(first)
  return [...first, ...[...new Set(then)].filter((e) => !inFirst.has(e)).sort((a, b) => a - b)]
}
