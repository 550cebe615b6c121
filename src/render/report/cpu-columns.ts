/**
 * An interleaving written the way kernel commit messages write races by hand: time down
 * the left, one column per CPU, each event in the column of the CPU it happened on, long
 * texts wrapped inside their column. Plain ASCII, so it survives any mail client.
 */
import type {LogLine} from '../../engine/engine.ts'
import type {Finding} from '../../core/result.ts'
import {findingEvent} from '../finding-event.ts'
import {wrapText} from '../wrap.ts'
import {ascii} from './ascii.ts'

/** How to lay the columns out. */
export interface CpuColumnsOptions {
  readonly cpus: number
  /** The whole width to fit in. */
  readonly width: number
  /** Events to keep before the first finding (earlier ones are summarised); default 40. */
  readonly before?: number
  /** Events to keep after it; default 6. */
  readonly after?: number
  /** Times are the untimed model's logical clock. */
  readonly untimed?: boolean
}

interface Row {
  readonly t: number
  readonly cpu: number
  readonly text: string
}

/** Log lines a reader of an interleaving does not need: handler entries and exits. */
function noise(l: LogLine): boolean {
  return l.what === 'irq entry' || l.what === 'irq exit'
}

/**
 * The interleaving as fixed-width lines, none wider than `width`. A cell names its task
 * only when the task is not the one its CPU runs (`> task` marks a switch). A finding's
 * access is an event in its CPU's column at its time (`!! use-after-free: read state of
 * ...`), followed by a row of its own across the columns with the finding in full,
 * `!! kind: detail`.
 */
export function renderCpuColumns(log: readonly LogLine[], findings: readonly Finding[], opts: CpuColumnsOptions): string[] {
  const n = Math.max(1, opts.cpus)
  const rows: Row[] = []
  const running: string[] = Array.from({length: n}, () => '')
  const runningAt: string[][] = []
  const sorted = [...findings].sort((a, b) => a.at - b.at)
  let next = 0
  const pushFinding = (): void => {
    const f = sorted[next++]
    if (f.cpu !== null && f.cpu >= 0 && f.cpu < n) {
      runningAt.push([...running])
      const event = findingEvent(f)
      rows.push({t: f.at, cpu: f.cpu, text: ascii(f.task === null || f.task === running[f.cpu] ? event : `${f.task}: ${event}`)})
    }
    runningAt.push([...running])
    rows.push(findingRow(f))
  }
  log.forEach((l, i) => {
    while (next < sorted.length && sorted[next].at < l.t) pushFinding()
    if (noise(l) || switchedInAtOnce(log, i)) return
    const cpu = l.cpu >= 0 && l.cpu < n ? l.cpu : -1
    runningAt.push([...running])
    let text: string
    if (l.what === 'switch in' && cpu >= 0) {
      running[cpu] = l.task
      text = `> ${l.task}`
    } else {
      text = cpu >= 0 && running[cpu] === l.task ? l.what : `${l.task}: ${l.what}`
      if (cpu >= 0 && running[cpu] === l.task && (l.what === 'exit' || l.what === 'preempted' || l.what.startsWith('sleep ('))) running[cpu] = ''
    }
    rows.push({t: l.t, cpu, text: ascii(text)})
  })
  while (next < sorted.length) pushFinding()
  const first = rows.findIndex((r) => r.cpu === -2)
  const from = first < 0 ? 0 : Math.max(0, first - (opts.before ?? 40))
  const to = first < 0 ? rows.length : Math.min(rows.length, first + 1 + (opts.after ?? 6))
  const shown = rows.slice(from, to)

  const times = shown.map((r) => timeText(r.t, opts.untimed === true))
  const unit = opts.untimed ? 'step' : 'time (us)'
  const timeWidth = Math.max(unit.length, ...times.map((t) => t.length))
  const gap = n <= 3 ? 2 : 1
  const col = Math.max(8, Math.floor((opts.width - timeWidth - gap * n) / n))
  const pad = ' '.repeat(gap)
  const line = (time: string, cells: readonly string[]): string => `${time.padStart(timeWidth)}${pad}${cells.map((c) => c.padEnd(col)).join(pad)}`.trimEnd()
  const out = [line(unit, Array.from({length: n}, (_, i) => `CPU${i}`)), line('-'.repeat(timeWidth), Array.from({length: n}, () => '-'.repeat(col)))]
  if (from > 0) {
    out.push(line('', [`... ${from} earlier events`]))
    const was = runningAt[from]
    if (was.some((t) => t !== '')) out.push(...cellLines('', was.map((t) => (t === '' ? '' : `(${t})`)), col, line))
  }
  // Events of one instant share lines: each CPU's column lists its own, in order.
  for (let i = 0; i < shown.length; ) {
    const r = shown[i]
    if (r.cpu < 0) {
      wrapText(r.text, opts.width - timeWidth - gap).forEach((l, k) => out.push(`${(k === 0 ? times[i] : '').padStart(timeWidth)}${pad}${l}`.trimEnd()))
      i++
      continue
    }
    const cells: string[][] = Array.from({length: n}, () => [])
    let j = i
    for (; j < shown.length && shown[j].cpu >= 0 && shown[j].t === r.t; j++) cells[shown[j].cpu].push(...wrapCell(shown[j].text, col))
    const height = Math.max(...cells.map((c) => c.length))
    for (let k = 0; k < height; k++) out.push(line(k === 0 ? times[i] : '', cells.map((c) => c[k] ?? '')))
    i = j
  }
  if (to < rows.length) out.push(line('', [`... ${rows.length - to} later events`]))
  return out
}

/** A wakeup whose task is switched in on its CPU at the same instant: the switch says it all. */
function switchedInAtOnce(log: readonly LogLine[], i: number): boolean {
  const l = log[i]
  if (!l.what.startsWith('wakeup on cpu')) return false
  for (let k = i + 1; k < log.length && log[k].t === l.t; k++) {
    if (log[k].what === 'switch in' && log[k].task === l.task) return true
  }
  return false
}

/** One row of cells, each wrapped within its column, as as many lines as the tallest needs. */
function cellLines(time: string, cells: readonly string[], col: number, line: (time: string, cells: readonly string[]) => string): string[] {
  const wrapped = cells.map((c) => (c === '' ? [] : wrapCell(c, col)))
  const height = Math.max(1, ...wrapped.map((w) => w.length))
  return Array.from({length: height}, (_, k) => line(k === 0 ? time : '', wrapped.map((w) => w[k] ?? '')))
}

/** Wraps a cell at spaces, or after `(`, `_` or `,` inside a long word, hard-splitting what is left. */
function wrapCell(text: string, width: number): string[] {
  const tokens = text.split(/(?<=[ (_,])/)
  const lines: string[] = []
  let cur = ''
  for (const tok of tokens) {
    if ((cur + tok).trimEnd().length <= width) {
      cur += tok
      continue
    }
    if (cur.trim() !== '') lines.push(cur.trimEnd())
    let rest = tok
    while (rest.trimEnd().length > width) {
      lines.push(rest.slice(0, width))
      rest = rest.slice(width)
    }
    cur = rest
  }
  if (cur.trim() !== '') lines.push(cur.trimEnd())
  return lines
}

/** A finding's row (cpu -2 marks it; it spans the columns). */
function findingRow(f: Finding): Row {
  return {t: f.at, cpu: -2, text: ascii(`!! ${f.kind}: ${f.detail}`)}
}

/** Microseconds with ns decimals (`5.290`), or `#12` on the untimed model's logical clock. */
function timeText(ns: number, untimed: boolean): string {
  return untimed ? `#${ns}` : (ns / 1e3).toFixed(3)
}
