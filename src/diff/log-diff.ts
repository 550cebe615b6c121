/**
 * `kreplay diff`: where two runs of the same trace (two variants, or two seeds) part ways.
 *
 * Normalization: nothing semantic is stripped. Each event is `time cpu task what`, as
 * `kreplay run --log` prints it. Events are matched on `cpu task what` alone, so an event
 * that happens in both runs, only later in one, is context rather than a change (after the
 * first divergence nearly every time stamp differs, and a diff on times would mark every
 * line). Each printed line keeps its time: `-` lines show A's, `+` lines B's, and context
 * lines A's (the old side, as a unified diff numbers its context) followed by
 * `[B at <time>]` when B's differs. Hunk line numbers are event numbers, from 1.
 */
import type {LogLine} from '../engine/engine.ts'
import type {Finding, RunResult} from '../core/result.ts'
import {formatDuration} from '../scenario/duration.ts'
import {formatTime} from '../render/units.ts'
import {diffLineLists, formatHunks} from './unified-diff.ts'

/** One side of a diff: a run's result and its event log. */
export interface DiffSide {
  /** How the side is called in headers: usually the variant id. */
  readonly label: string
  readonly result: RunResult
  readonly log: readonly LogLine[]
}

/** The first event where two logs differ in what happened (CPU, task or event). */
export interface Divergence {
  /** 0-based event index. */
  readonly index: number
  /** A's event there, null when A's log ended before it. */
  readonly a: LogLine | null
  /** B's event there, null when B's log ended before it. */
  readonly b: LogLine | null
}

/**
 * The first index where the logs differ in CPU, task or what happened, or null when they
 * have the same events in the same order. Times alone do not count: two designs with the
 * same steps at other costs have not parted.
 */
export function firstDivergence(a: readonly LogLine[], b: readonly LogLine[]): Divergence | null {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? a[i] : null
    const y = i < b.length ? b[i] : null
    if (x === null || y === null || x.cpu !== y.cpu || x.task !== y.task || x.what !== y.what) {
      return {index: i, a: x, b: y}
    }
  }
  return null
}

/**
 * The divergence as one line: `first divergence at <time> (event <n>): A: <cpu task what>
 * | B: <cpu task what>`, the time being the earlier of the two events'. A side whose event
 * is at another time shows it (`B: at 1010.000 µs: cpu0 ...`); a log that ended reads
 * `end of log`. `no divergence: ...` when the logs are identical.
 */
export function describeDivergence(d: Divergence | null, events: number): string {
  if (d === null) return `no divergence: the same ${events} events in the same order`
  const times = [d.a, d.b].filter((e) => e !== null).map((e) => e.t)
  const at = Math.min(...times)
  const side = (e: LogLine | null): string => {
    if (e === null) return 'end of log'
    return `${e.t === at ? '' : `at ${time(e.t)}: `}${eventKey(e)}`
  }
  return `first divergence at ${time(at)} (event ${d.index + 1}): A: ${side(d.a)} | B: ${side(d.b)}`
}

/**
 * A side's findings on one line: `A stopref: use-after-free ×3 (first at 1.20 ms),
 * machine-stall at 2.00 ms`, kinds in order of first appearance; `no findings` when none.
 */
export function describeFindings(name: string, label: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return `${name} ${label}: no findings`
  const kinds = new Map<string, Finding[]>()
  for (const f of findings) kinds.set(f.kind, [...(kinds.get(f.kind) ?? []), f])
  const parts = [...kinds].map(([kind, fs]) =>
    fs.length === 1 ? `${kind} at ${formatDuration(fs[0].at)}` : `${kind} ×${fs.length} (first at ${formatDuration(fs[0].at)})`,
  )
  return `${name} ${label}: ${parts.join(', ')}`
}

/**
 * The full report: the divergence line, one line of findings per side, then the unified
 * diff of the logs (absent when the event sequences match, and a note instead when only
 * the times differ). `trace` and `seed` label the diff's file headers.
 */
export function diffLogs(a: DiffSide, b: DiffSide): string {
  const out = [
    describeDivergence(firstDivergence(a.log, b.log), a.log.length),
    describeFindings('A', a.label, a.result.findings),
    describeFindings('B', b.label, b.result.findings),
  ]
  const {hunks, minimal, cut} = diffLineLists(a.log.map(eventKey), b.log.map(eventKey))
  const timed = hunks.map((h) => {
    let i = h.oldStart - 1
    let j = h.newStart - 1
    const lines = h.lines.map((line) => {
      const mark = line[0]
      if (mark === '-') return `-${eventLine(a.log[i++])}`
      if (mark === '+') return `+${eventLine(b.log[j++])}`
      const [x, y] = [a.log[i++], b.log[j++]]
      return ` ${eventLine(x)}${x.t === y.t ? '' : `  [B at ${time(y.t)}]`}`
    })
    return {...h, lines}
  })
  if (timed.length === 0) {
    const retimed = a.log.findIndex((e, i) => e.t !== b.log[i].t)
    if (retimed >= 0) out.push(`only the times differ, from event ${retimed + 1} (${time(a.log[retimed].t)})`)
    return out.join('\n') + '\n'
  }
  if (!minimal) out.push('(the diff timed out: one hunk spans the whole difference)')
  if (cut !== null) {
    out.push(`(the logs differ for long: the diff covers events 1-${cut.old} of A's ${a.log.length} and 1-${cut.new} of B's ${b.log.length})`)
  }
  const header = (s: DiffSide) => `${s.result.trace}, seed ${s.result.seed}`
  out.push(formatHunks(timed, {oldName: `a/${a.label}`, newName: `b/${b.label}`, oldHeader: header(a), newHeader: header(b)}).trimEnd())
  return out.join('\n') + '\n'
}

/** What is compared: `cpu0 rmmod switch in` (no time; `-` for no CPU). */
function eventKey(e: LogLine): string {
  return `${e.cpu < 0 ? '-' : `cpu${e.cpu}`} ${e.task} ${e.what}`
}

/** What is printed: the time, then the key, as `kreplay run --log` lays it out. */
function eventLine(e: LogLine): string {
  const cpu = e.cpu < 0 ? '-' : `cpu${e.cpu}`
  return `${formatTime(e.t)}  ${cpu.padEnd(6)} ${e.task.padEnd(16)} ${e.what}`.trimEnd()
}

function time(ns: number): string {
  return formatTime(ns).trim()
}
