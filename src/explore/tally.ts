/** How often a finding kind was seen in a search, and the first schedule that showed it. */
export interface KindTally {
  /** Schedules that showed the kind. */
  readonly count: number
  /** The index of the first (lowest-numbered) schedule that showed it. */
  readonly first: number
}

/** Finding kind → tally, kept in kind order so the JSON is stable. */
export type Tallies = Record<string, KindTally>

/** Adds one schedule's kinds to a tally map (in place). */
export function tallyKinds(t: Record<string, KindTally>, kinds: Iterable<string>, index: number): void {
  for (const kind of kinds) {
    const old = t[kind] as KindTally | undefined
    t[kind] = old === undefined ? {count: 1, first: index} : {count: old.count + 1, first: Math.min(old.first, index)}
  }
}

/** Merges tallies (sums counts, keeps the lowest first index), with keys sorted. */
export function mergeTallies(all: readonly Tallies[]): Tallies {
  const out: Record<string, KindTally> = {}
  for (const t of all) {
    for (const [kind, v] of Object.entries(t)) {
      const old = out[kind] as KindTally | undefined
      out[kind] = old === undefined ? v : {count: old.count + v.count, first: Math.min(old.first, v.first)}
    }
  }
  return sortTallies(out)
}

/** The same tallies with keys in sorted order. */
export function sortTallies(t: Tallies): Tallies {
  const out: Record<string, KindTally> = {}
  for (const k of Object.keys(t).sort()) out[k] = t[k]
  return out
}
