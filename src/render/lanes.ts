import type {LogLine} from '../engine/engine.ts'
import type {Finding} from '../core/result.ts'
import {findingEvent} from './finding-event.ts'
import {formatTime} from './units.ts'

/** How to lay out the lanes. */
export interface LanesOptions {
  readonly cpus: number
  /** Total width to fit (default 160: eight lanes of 15 characters). */
  readonly width?: number
  /** Rows to show before the first finding (earlier ones are summarised); default 80. */
  readonly before?: number
  /** Rows to show after the first finding; default 12. */
  readonly after?: number
  /** Times are the untimed model's logical clock (said in the header). */
  readonly untimed?: boolean
}

interface Row {
  readonly t: number
  readonly cells: string[]
  /** A full-width line instead of cells (a finding, or an event of no CPU). */
  readonly note: string | null
  readonly finding: boolean
}

/**
 * The interleaving of a run as per-CPU lanes: one column per CPU, one row per instant
 * (events of different CPUs at the same time share a row), each cell what happened there:
 * `▶ task` when a task is switched in, then its events (module gets, puts and calls,
 * sleeps, wakeups, preemptions, injected delays, the variant's log lines), prefixed by the
 * task's name when it is not the one the lane is running. A finding's access is a step
 * in its CPU's lane (`!! use-after-free: read state of ...`), followed by a full-width row
 * marked `!!` with the finding in full. Long runs show the rows leading up to the first finding.
 */
export function renderLanes(log: readonly LogLine[], findings: readonly Finding[], opts: LanesOptions): string {
  const n = Math.max(1, opts.cpus)
  const width = opts.width ?? 160
  const timeWidth = 17
  const lane = Math.max(14, Math.min(30, Math.floor((width - timeWidth) / n) - 3))
  const running: string[] = Array.from({length: n}, () => '')
  const rows: Row[] = []
  const pending = [...findings].sort((a, b) => a.at - b.at)
  let next = 0
  const flushFindings = (upTo: number): void => {
    while (next < pending.length && pending[next].at <= upTo) {
      const f = pending[next++]
      const where = [f.cpu !== null ? `cpu${f.cpu}` : '', f.task ?? ''].filter(Boolean).join(' ')
      // The access that raced is a step in its CPU's lane, then the finding in full.
      if (f.cpu !== null && f.cpu < n) {
        const cells = Array.from({length: n}, () => '')
        const event = findingEvent(f)
        cells[f.cpu] = f.task === null || f.task === running[f.cpu] ? event : `${f.task}: ${event}`
        rows.push({t: f.at, cells, note: null, finding: false})
      }
      rows.push({t: f.at, cells: [], note: `!! ${f.kind}${where ? ` (${where})` : ''}: ${f.detail}`, finding: true})
    }
  }
  for (const l of log) {
    flushFindings(l.t - 1)
    if (l.cpu < 0 || l.cpu >= n) {
      rows.push({t: l.t, cells: [], note: `${l.task}: ${l.what}`, finding: false})
      continue
    }
    let text: string
    if (l.what === 'switch in') {
      running[l.cpu] = l.task
      text = `▶ ${l.task}`
    } else {
      text = l.task === running[l.cpu] ? l.what : `${l.task}: ${l.what}`
      if (l.what === 'exit' && l.task === running[l.cpu]) running[l.cpu] = ''
    }
    const last = rows.at(-1)
    if (last !== undefined && last.note === null && last.t === l.t && last.cells[l.cpu] === '') {
      last.cells[l.cpu] = text
    } else {
      const cells = Array.from({length: n}, () => '')
      cells[l.cpu] = text
      rows.push({t: l.t, cells, note: null, finding: false})
    }
  }
  flushFindings(Infinity)
  const firstFinding = rows.findIndex((r) => r.finding)
  const from = firstFinding < 0 ? 0 : Math.max(0, firstFinding - (opts.before ?? 80))
  const to = firstFinding < 0 ? rows.length : Math.min(rows.length, firstFinding + 1 + (opts.after ?? 12))
  const fit = (s: string): string => (s.length > lane ? `${s.slice(0, lane - 1)}…` : s.padEnd(lane))
  const head = `${(opts.untimed ? 'logical time' : 'time').padStart(timeWidth - 1)} │ ${Array.from({length: n}, (_, i) => fit(`cpu${i}`)).join(' │ ')}`.trimEnd()
  const out = [head, `${'─'.repeat(timeWidth)}┼${Array.from({length: n}, () => '─'.repeat(lane + 2)).join('┼')}`]
  if (from > 0) out.push(`${''.padStart(timeWidth - 1)} │ … ${from} earlier rows`)
  for (const r of rows.slice(from, to)) {
    const t = formatTime(r.t).padStart(timeWidth - 1)
    if (r.note !== null) {
      out.push(`${t} │ ${r.note}`)
      continue
    }
    let last = r.cells.length
    while (last > 1 && r.cells[last - 1] === '') last--
    out.push(`${t} │ ${r.cells.slice(0, last).map(fit).join(' │ ')}`.trimEnd())
  }
  if (to < rows.length) out.push(`${''.padStart(timeWidth - 1)} │ … ${rows.length - to} later rows`)
  return out.join('\n') + '\n'
}
