import type {Finding, FindingKind, RunResult} from '../core/result.ts'

/**
 * The finding kinds a schedule search counts: those the machine's state shows whatever
 * the timing. Timing findings (machine-stall, soft-lockup, latency-budget) are left to
 * ordinary runs: an injected delay or an untimed interleaving makes them by construction,
 * not by a flaw of the variant. A hang counts only when the run went idle (nothing left
 * could ever wake the task), not when the horizon cut it off.
 */
export const SEARCHED_KINDS: readonly FindingKind[] = ['use-after-free', 'freed-while-referenced', 'deadlock', 'hang', 'affinity-lost']

const SEARCHED = new Set<string>(SEARCHED_KINDS)

/**
 * The findings of a run that count for a search, in the run's order. `skip` names kinds
 * not to count (`--new`: those the plain run already shows).
 */
export function countedFindings(result: RunResult, skip: ReadonlySet<string>): Finding[] {
  return result.findings.filter(
    (f) => SEARCHED.has(f.kind) && !skip.has(f.kind) && (f.kind !== 'hang' || result.ended === 'idle'),
  )
}
