import {SingleBar} from 'cli-progress'
import type {Progress} from '../explore/progress.ts'
import {formatWallTime} from '../scenario/duration.ts'

const count = (n: number): string => n.toLocaleString('en-US')

/** How often `--progress` writes a line when stderr is not a terminal. */
export const PROGRESS_LINE_MS = 5000

/** A search's limits, for the fraction done and the time left. */
export interface SearchLimits {
  readonly budget: number | null
  readonly timeMs: number | null
}

/** What the search's progress is shown with: `update` for each report, `stop` at the end. */
export interface ProgressView {
  readonly update: (p: Progress) => void
  readonly stop: () => void
}

/**
 * The progress of a schedule search on stderr: on a terminal a cli-progress bar with the
 * schedules run, their rate, the findings and the time left (by the time limit when
 * there is one, else by the budget); otherwise, with `lines`, one line every few seconds;
 * otherwise nothing (null).
 */
export function exploreProgress(limits: SearchLimits, lines: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressView | null {
  const byTime = limits.timeMs !== null
  const total = byTime ? limits.timeMs : (limits.budget ?? 0)
  const rate = (p: Progress) => (p.elapsedMs > 0 ? count(Math.round((p.explored / p.elapsedMs) * 1000)) : '0')
  if (stream.isTTY && total > 0 && total < Number.MAX_SAFE_INTEGER) {
    const bar = new SingleBar({
      stream,
      clearOnComplete: true,
      hideCursor: true,
      etaBuffer: 20,
      format: 'exploring {bar} {percentage}% | {schedules} schedules, {rate}/s | {findings} | ETA {eta_formatted}',
    })
    bar.start(total, 0, {schedules: '0', rate: '0', findings: 'no finding'})
    return {
      update: (p) => { bar.update(Math.min(total, byTime ? p.elapsedMs : p.explored), {
          schedules: count(p.explored),
          rate: rate(p),
          findings: p.findings ? `${p.findings} with findings` : 'no finding',
        }); },
      stop: () => { bar.stop(); },
    }
  }
  if (!lines) return null
  let last = -Infinity
  return {
    update: (p) => {
      if (p.elapsedMs - last < PROGRESS_LINE_MS) return
      last = p.elapsedMs
      const of = byTime ? ` of ${formatWallTime(limits.timeMs)}` : limits.budget !== null && limits.budget < Number.MAX_SAFE_INTEGER ? `, budget ${count(limits.budget)}` : ''
      stream.write(`kreplay: exploring: ${count(p.explored)} schedules, ${rate(p)}/s, ${p.findings ? `${p.findings} with findings` : 'no finding'}, ${formatWallTime(Math.round(p.elapsedMs))}${of}\n`)
    },
    stop: () => undefined,
  }
}
