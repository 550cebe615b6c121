/**
 * The one word a cell of the summary matrix shows: the most severe finding any seed showed,
 * `ok` when none did.
 */
import type {FindingKind} from '../core/result.ts'
import type {Aggregate} from './aggregate.ts'

/** Finding kinds from most to least severe, with the word the matrix uses for each. */
export const VERDICT_WORDS: readonly (readonly [FindingKind, string])[] = [
  ['use-after-free', 'uaf'],
  ['freed-while-referenced', 'freed'],
  ['deadlock', 'deadlock'],
  ['hang', 'hang'],
  ['livelock', 'livelock'],
  ['hung-task', 'hung-task'],
  ['soft-lockup', 'lockup'],
  ['machine-stall', 'stall'],
  ['affinity-lost', 'affinity'],
  ['latency-budget', 'latency'],
]

/** The word for a cell with no finding. */
export const OK = 'ok'
/** The word for a cell with no finding where some run ran out of its step budget. */
export const BUDGET = 'budget'

/** A cell's verdict: its word, and in how many of how many seeds its cause was seen. */
export interface Verdict {
  readonly word: string
  /** The finding kind named, or null for `ok` and `budget`. */
  readonly kind: FindingKind | null
  readonly seen: number
  readonly of: number
  /**
   * Less severe kinds seen in more seeds than the named one (`uaf 1/5` hides nothing when
   * `hang 5/5` follows): so the matrix never hides a finding the row shows.
   */
  readonly also: readonly {readonly word: string; readonly seen: number}[]
}

/**
 * The verdict of an aggregate: the most severe finding kind seen in any seed (by
 * VERDICT_WORDS), else `budget` if a run ran out of steps, else `ok`.
 */
export function verdict(agg: Aggregate): Verdict {
  const seen = VERDICT_WORDS.flatMap(([kind, word]) => (agg.findings[kind] === undefined ? [] : [{kind, word, seen: agg.findings[kind]}]))
  if (seen.length > 0) {
    const [first, ...rest] = seen
    const also: {word: string; seen: number}[] = []
    let most = first.seen
    for (const k of rest) {
      if (k.seen <= most) continue
      also.push({word: k.word, seen: k.seen})
      most = k.seen
    }
    return {word: first.word, kind: first.kind, seen: first.seen, of: agg.seeds, also}
  }
  const budget = agg.ended['step-budget']
  if (budget !== undefined) return {word: BUDGET, kind: null, seen: budget, of: agg.seeds, also: []}
  return {word: OK, kind: null, seen: agg.seeds, of: agg.seeds, also: []}
}

/** The verdict as the matrix prints it: the word, then `n/N` when not every seed showed it, then what else it would hide. */
export function verdictText(v: Verdict): string {
  const count = (word: string, seen: number) => (seen < v.of ? `${word} ${seen}/${v.of}` : word)
  return [count(v.word, v.seen), ...v.also.map((a) => count(a.word, a.seen))].join(' ')
}

/**
 * The legend of the verdicts in `verdicts`: each word used, what it means, in severity
 * order, and a note on `n/N` when a partial count appears. Entries are `word: meaning`, or
 * the word alone where it is the finding kind itself (`hang`).
 */
export function verdictLegend(verdicts: readonly Verdict[]): string[] {
  const used = new Set(verdicts.flatMap((v) => [v.word, ...v.also.map((a) => a.word)]))
  const entries: string[] = []
  if (used.has(OK)) entries.push(`${OK}: no finding`)
  for (const [kind, word] of VERDICT_WORDS) if (used.has(word)) entries.push(word === kind ? word : `${word}: ${kind}`)
  if (used.has(BUDGET)) entries.push(`${BUDGET}: no finding, but the step budget ran out`)
  if (verdicts.some((v) => v.seen < v.of)) entries.push('n/N: seen in n of N seeds')
  return entries
}
