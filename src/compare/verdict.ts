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

/** The mark after a word found by schedule search only (`uaf*`). */
export const SEARCHED = '*'

/** The word for a cell with no finding. */
export const OK = 'ok'
/** The word for a cell with no finding where some run ran out of its step budget. */
export const BUDGET = 'budget'

/** A cell's verdict: its word, and in how many of how many seeds its cause was seen. */
export interface Verdict {
  readonly word: string
  /** The named kind was found by schedule search, not by any seeded run (the matrix marks it SEARCHED). */
  readonly bySearch: boolean
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
 * VERDICT_WORDS), else `budget` if a run ran out of steps, else `ok`. When schedule search
 * (`searched`, Cell.searched) found a kind more severe than that, the verdict names it,
 * `bySearch`, and what the seeds showed follows it in `also`.
 */
export function verdict(agg: Aggregate, searched: readonly FindingKind[] | null = null): Verdict {
  const seeded = seededVerdict(agg)
  const rank = (kind: FindingKind | null) => (kind === null ? VERDICT_WORDS.length : VERDICT_WORDS.findIndex(([k]) => k === kind))
  const worst = VERDICT_WORDS.find(([kind]) => searched?.includes(kind) === true && agg.findings[kind] === undefined)
  if (worst === undefined || rank(worst[0]) > rank(seeded.kind)) return seeded
  const also = seeded.kind === null ? [] : [{word: seeded.word, seen: seeded.seen}, ...seeded.also]
  return {word: worst[1], bySearch: true, kind: worst[0], seen: agg.seeds, of: agg.seeds, also}
}

function seededVerdict(agg: Aggregate): Verdict {
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
    return {word: first.word, bySearch: false, kind: first.kind, seen: first.seen, of: agg.seeds, also}
  }
  const budget = agg.ended['step-budget']
  if (budget !== undefined) return {word: BUDGET, bySearch: false, kind: null, seen: budget, of: agg.seeds, also: []}
  return {word: OK, bySearch: false, kind: null, seen: agg.seeds, of: agg.seeds, also: []}
}

/**
 * The verdict as the matrix prints it: the word (marked SEARCHED when only search found
 * it), then `n/N` when not every seed showed it, then what else it would hide.
 */
export function verdictText(v: Verdict): string {
  const count = (word: string, seen: number) => (seen < v.of ? `${word} ${seen}/${v.of}` : word)
  return [count(v.bySearch ? v.word + SEARCHED : v.word, v.seen), ...v.also.map((a) => count(a.word, a.seen))].join(' ')
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
  if (verdicts.some((v) => v.seen < v.of || v.also.some((a) => a.seen < v.of))) entries.push('n/N: seen in n of N seeds')
  if (verdicts.some((v) => v.bySearch)) entries.push(`${SEARCHED}: found by schedule search, not by the seeded run (kreplay explore shows it)`)
  return entries
}
