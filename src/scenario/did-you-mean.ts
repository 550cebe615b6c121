/**
 * Spelling suggestions for error messages: the allowed word closest to what was written
 * (trace keys and choices, shipped trace and variant names, commands).
 */
import {distance as editDistance} from 'fastest-levenshtein'

/**
 * The candidate `written` was most likely meant to be, or undefined when none is close.
 * Close means, comparing case-insensitively: within edit distance 2 (and less than the
 * candidate's length, so short words do not match everything), or one of the two is a
 * prefix or suffix of the other and `written` has at least 2 characters (`SIGKILL` → `KILL`,
 * `stop` → `stop_machine`). Among close candidates the smallest distance wins, then the
 * earlier candidate.
 */
export function didYouMean(written: string, candidates: readonly string[]): string | undefined {
  const w = written.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const c = candidate.toLowerCase()
    if (c === w && candidate !== written) return candidate
    const distance = editDistance(w, c)
    const affix = w.length >= 2 && (c.startsWith(w) || w.startsWith(c) || w.endsWith(c))
    const close = (distance <= 2 && distance < c.length) || affix
    if (close && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** ` (did you mean "x"?)` for the closest candidate, or the empty string when none is close. */
export function suggestion(written: string, candidates: readonly string[]): string {
  const guess = didYouMean(written, candidates)
  return guess === undefined ? '' : ` (did you mean "${guess}"?)`
}
